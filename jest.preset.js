// Shared jest configuration for every package. Each package's jest.config.js spreads it.
// ESM throughout: NestJS 12 is ESM-only and Jest's CommonJS mode cannot load it on Node 20 (ADR 0001).
import { readFileSync } from 'node:fs';

process.env.TZ = 'UTC';

const swc = JSON.parse(readFileSync(new URL('./swc.config.json', import.meta.url), 'utf8'));
delete swc.$schema;

// Under jest only, @fastify/static (Swagger UI) require()s an ESM-only content-disposition, and Fastify's
// inject the ESM-only cookie: those two are transformed to CommonJS and let through (DESIGN §8).
const toCommonJs = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];
const esmOnlyDeps = '(@fastify/static/node_modules/content-disposition|content-disposition|cookie)/';

export default {
  // jest's node environment, plus clean-up after a file's last hook (libs/testing/jest/test-environment.js).
  testEnvironment: new URL('./libs/testing/jest/test-environment.js', import.meta.url).pathname,
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc], [`/node_modules/${esmOnlyDeps}.+\\.js$`]: toCommonJs },
  transformIgnorePatterns: [`/node_modules/(?!${esmOnlyDeps})`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: new URL('./libs/testing/jest/global-setup.js', import.meta.url).pathname,
  globalTeardown: new URL('./libs/testing/jest/global-teardown.js', import.meta.url).pathname,
  testSequencer: new URL('./libs/testing/jest/test-sequencer.js', import.meta.url).pathname,
  reporters: ['default', new URL('./libs/testing/jest/durations-reporter.js', import.meta.url).pathname],
  testTimeout: 60_000,
  maxWorkers: 2,
  forceExit: false,
};
