// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import nxDevkit from '@nx/devkit';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// @nx/enforce-module-boundaries reads the project graph from Nx's cache and, when there is none (a fresh
// clone, CI after `npm ci`), skips itself with only a warning. Building the graph here makes every way of
// running ESLint (npm run lint, an editor, the Node API in tools/) enforce the boundaries. A broken graph
// (say, an invalid package.json) throws, so ESLint reports it instead of an editor's ESLint server exiting.
await nxDevkit.createProjectGraphAsync({ exitOnError: false });

// The Node globals our plain .js files (configs, loaders) use; TypeScript files get them from @types/node.
const nodeGlobals = { process: 'readonly', console: 'readonly', URL: 'readonly' };

// Apps and libs are told apart by their package.json `nx.tags`. Another app is never a `type:lib`, so an
// app importing an app breaks the first constraint (and Nx's own "Imports of apps are forbidden", as
// nx.json's workspaceLayout makes everything under apps/ an application).
const moduleBoundaries = {
  depConstraints: [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  ],
};

const deepImport = /^@remedy\/[^/]+\/.+/;
const deepImportMessage = 'Import a workspace package from its root (@remedy/<name>), not from its files.';

export default defineConfig(
  // apps/*/exercises/ holds a learner's kata copies (`npm run kata`, git-ignored): their code, not the repo's.
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'reports/',
    '**/.data/',
    '.nx/',
    '**/coverage/',
    'apps/*/exercises/',
  ]),

  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },

  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One TypeScript program for the whole repo: every .ts file is included by the root tsconfig.json,
      // so the project service never falls back to a slow per-file default project.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // `_`-prefixed parameters are how a NestJS lifecycle hook or port implementation says "unused on purpose".
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  {
    // jest's expect(mock.method) passes methods unbound by design, and test doubles implement async ports
    // without having anything to await.
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off', '@typescript-eslint/require-await': 'off' },
  },

  {
    // Only source is checked against project boundaries: the .js tooling files inside a package (its jest
    // config, jest setup) import the root jest preset and loader by relative path on purpose.
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries] },
  },
  {
    // Tests, findings and benchmarks use their own package the way its consumers do, through its root.
    files: ['**/test/**/*.ts', '**/findings/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { ...moduleBoundaries, allowCircularSelfDependency: true }],
    },
  },

  {
    // A package's API is what its root exports; reaching into its files couples callers to its layout.
    // no-restricted-imports does not look at import(), so no-restricted-syntax covers the dynamic form.
    files: ['**/*.ts', '**/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: deepImport.source, message: deepImportMessage }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression[source.value=${String(deepImport)}]`, message: deepImportMessage },
      ],
    },
  },

  prettier,
);
