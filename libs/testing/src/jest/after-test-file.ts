// Registered by libs/testing/jest/test-environment.js (jest.preset.js's testEnvironment) under this key.
const AFTER_TEST_FILE = Symbol.for('remedy.testing.afterTestFile');

type Register = (work: () => Promise<void>) => void;

/**
 * Runs `work` once the calling test file's last afterAll hook has finished (its apps, workers and clients
 * closed), before jest tears the file down. Call it while the file is being collected, like afterAll.
 */
export function afterTestFile(work: () => Promise<void>): void {
  const register = (globalThis as { [AFTER_TEST_FILE]?: Register })[AFTER_TEST_FILE];
  if (!register) {
    throw new Error(
      "afterTestFile needs jest's testEnvironment from jest.preset.js (libs/testing/jest/test-environment.js).",
    );
  }
  register(work);
}
