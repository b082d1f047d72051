import type { beforeAll as BeforeAll } from '@jest/globals';
import type { PackageHarness } from '../package-harness.js';
import { backgroundDropsSettled } from '../database/database-admin.js';
import { afterTestFile } from '../jest/after-test-file.js';
import { createIsolatedContext, type IsolatedContext } from './isolated-context.js';

export type TestContext = Omit<IsolatedContext, 'dispose'>;

// Jest injects these globals; importing @jest/globals here would break the demo, which loads this lib outside jest.
declare const beforeAll: typeof BeforeAll;

/**
 * Gives the calling test file its own database (cloned from the package template) and Redis prefix,
 * created before its first test and removed after its last hook: the file's own afterAll hooks close the apps
 * and clients that use the database before it is dropped. Read the fields inside tests and hooks.
 */
export function useTestContext(harness: PackageHarness): TestContext {
  let context: IsolatedContext | undefined;
  beforeAll(async () => {
    context = await createIsolatedContext(harness);
  }, 120_000);
  afterTestFile(async () => {
    await context?.dispose();
    // Jest tears the file's module environment down next: nothing may run past it.
    await backgroundDropsSettled();
  });

  const current = (): IsolatedContext => {
    if (!context)
      throw new Error('useTestContext: the context is ready only inside tests and hooks (after beforeAll).');
    return context;
  };
  return {
    get databaseUrl() {
      return current().databaseUrl;
    },
    get pool() {
      return current().pool;
    },
    get redisUrl() {
      return current().redisUrl;
    },
    get redis() {
      return current().redis;
    },
    get prefix() {
      return current().prefix;
    },
    key: (name) => current().key(name),
    log: (line) => current().log(line),
  };
}
