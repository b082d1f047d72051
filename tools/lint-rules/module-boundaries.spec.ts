// Proves that the repository's eslint.config.js turns boundary breaks into lint errors.
//
// @nx/enforce-module-boundaries only judges imports between projects it finds in the Nx project graph, and
// it resolves `@remedy/<app>` the way npm workspaces do. Fixture apps inside this repo would have to join
// the root `workspaces` (so `npm ci` would install them) or stay unresolvable (so the rule would silently
// pass). Instead the test builds a throwaway workspace under the system temp directory with the same
// layout: the repo's own eslint.config.js, nx.json and tsconfigs copied verbatim, a root package.json with
// the repo's `workspaces`, two tagged apps and two libs, and a node_modules that links the installed
// packages plus the fixture packages, as `npm install` would. ESLint then runs there through its Node API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

interface FixturePackage {
  dir: string;
  name: string;
  tags: string[];
}

const fixturePackages: FixturePackage[] = [
  { dir: 'apps/alpha', name: '@remedy/fixture-alpha', tags: ['type:app', 'scope:alpha'] },
  { dir: 'apps/beta', name: '@remedy/fixture-beta', tags: ['type:app', 'scope:beta'] },
  { dir: 'libs/kit', name: '@remedy/fixture-kit', tags: ['type:lib'] },
  { dir: 'libs/base', name: '@remedy/fixture-base', tags: ['type:lib'] },
  { dir: 'libs/untagged', name: '@remedy/fixture-untagged', tags: [] },
];

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function buildWorkspace(root: string): void {
  for (const file of ['eslint.config.js', 'nx.json', 'tsconfig.base.json', 'tsconfig.json']) {
    copyFileSync(join(repoRoot, file), join(root, file));
  }
  const { workspaces } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  writeFile(
    join(root, 'package.json'),
    JSON.stringify({ name: 'lint-fixture', private: true, type: 'module', workspaces }),
  );

  mkdirSync(join(root, 'node_modules/@remedy'), { recursive: true });
  for (const entry of readdirSync(join(repoRoot, 'node_modules'))) {
    if (entry !== '@remedy')
      symlinkSync(join(repoRoot, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  for (const pkg of fixturePackages) {
    writeFile(
      join(root, pkg.dir, 'package.json'),
      JSON.stringify({
        name: pkg.name,
        private: true,
        type: 'module',
        exports: { '.': { types: './src/index.ts', default: './src/index.ts' } },
        nx: { tags: pkg.tags },
      }),
    );
    writeFile(join(root, pkg.dir, 'src/index.ts'), 'export const value = 1;\n');
    symlinkSync(join(root, pkg.dir), join(root, 'node_modules', pkg.name));
  }
}

// One file per case, all written before ESLint starts: a file appearing under a TypeScript project service
// that is already running makes it schedule a delayed reload, which would keep jest alive after the run.
const cases = {
  appToLib: ['apps/alpha/src/uses-kit.ts', "export { value } from '@remedy/fixture-kit';"],
  libToLib: ['libs/kit/src/uses-base.ts', "export { value } from '@remedy/fixture-base';"],
  libToApp: ['libs/kit/src/uses-alpha.ts', "export { value } from '@remedy/fixture-alpha';"],
  appToApp: ['apps/alpha/src/uses-beta.ts', "export { value } from '@remedy/fixture-beta';"],
  appToAppFile: ['apps/alpha/src/uses-beta-file.ts', "export { value } from '../../beta/src/index.js';"],
  appToUntagged: ['apps/alpha/src/uses-untagged.ts', "export { value } from '@remedy/fixture-untagged';"],
  deepImport: ['apps/alpha/src/deep.ts', "export { value } from '@remedy/pooling/src/x';"],
  deepDynamicImport: [
    'apps/alpha/src/deep-dynamic.ts',
    "export const kit = import('@remedy/fixture-kit/src/index.js');",
  ],
} satisfies Record<string, [file: string, code: string]>;

const deepImportMessage = 'Import a workspace package from its root (@remedy/<name>), not from its files.';

describe('eslint.config.js module boundaries', () => {
  let root: string;
  let eslint: ESLint;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'remedy-lint-'));
    buildWorkspace(root);
    for (const [file, code] of Object.values(cases)) writeFile(join(root, file), `${code}\n`);
    // Nx finds its workspace from this variable before looking at the working directory; without the
    // daemon no background process outlives the test.
    process.env.NX_WORKSPACE_ROOT_PATH = root;
    process.env.NX_DAEMON = 'false';
    eslint = new ESLint({ cwd: root });
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  async function lint(name: keyof typeof cases): Promise<string[]> {
    const [result] = await eslint.lintFiles([cases[name][0]]);
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
  }

  it('lets an app import a lib through its root', async () => {
    expect(await lint('appToLib')).toEqual([]);
  });

  it('lets a lib import another lib through its root', async () => {
    expect(await lint('libToLib')).toEqual([]);
  });

  it('rejects an app importing another app', async () => {
    expect(await lint('appToApp')).toEqual(['@nx/enforce-module-boundaries: Imports of apps are forbidden']);
  });

  it('rejects a lib importing an app', async () => {
    expect(await lint('libToApp')).toEqual(['@nx/enforce-module-boundaries: Imports of apps are forbidden']);
  });

  it("rejects an app reaching another app's files by relative path", async () => {
    expect(await lint('appToAppFile')).toEqual([
      '@nx/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  it('rejects an app importing a project that is not tagged type:lib', async () => {
    expect(await lint('appToUntagged')).toEqual([
      '@nx/enforce-module-boundaries: A project tagged with "type:app" can only depend on libs tagged with "type:lib"',
    ]);
  });

  it('rejects a deep import into a lib, static or dynamic', async () => {
    expect(await lint('deepImport')).toEqual([
      `no-restricted-imports: '@remedy/pooling/src/x' import is restricted from being used by a pattern. ${deepImportMessage}`,
    ]);
    expect(await lint('deepDynamicImport')).toEqual([`no-restricted-syntax: ${deepImportMessage}`]);
  });
});
