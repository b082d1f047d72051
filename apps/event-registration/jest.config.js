import preset from '../../jest.preset.js';

// Under jest only, @fastify/static (Swagger UI) require()s an ESM-only content-disposition, and Fastify's
// inject the ESM-only cookie: those two are transformed to CommonJS and let through (DESIGN §8).
const toCommonJs = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];
const esmOnlyDeps = '(@fastify/static/node_modules/content-disposition|content-disposition|cookie)/';

export default {
  ...preset,
  displayName: 'event-registration',
  rootDir: import.meta.dirname,
  transform: { ...preset.transform, [`/node_modules/${esmOnlyDeps}.+\\.js$`]: toCommonJs },
  transformIgnorePatterns: [`/node_modules/(?!${esmOnlyDeps})`],
};
