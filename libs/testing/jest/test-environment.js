// jest's node environment plus one thing jest lacks: work that runs after a test file's last afterAll hook.
// jest-circus runs afterAll hooks in the order they are declared, so a hook that useTestContext declares at
// the top of a file runs before the file's own hooks that close its apps and workers. Dropping the file's
// database there (WITH FORCE) terminated connections those apps still held, and a pg client whose
// connection is terminated emits an 'error' event that fails the suite. 'run_finish' comes after every hook
// and before jest tears the file's module environment down, so disposal there is safe on both counts.
import { TestEnvironment } from 'jest-environment-node';

// The test file's side registers through src/jest/after-test-file.ts under the same key.
const AFTER_TEST_FILE = Symbol.for('remedy.testing.afterTestFile');

export default class RemedyTestEnvironment extends TestEnvironment {
  #afterTestFile = [];

  constructor(config, context) {
    super(config, context);
    this.global[AFTER_TEST_FILE] = (work) => this.#afterTestFile.push(work);
  }

  async handleTestEvent(event, state) {
    if (event.name !== 'run_finish') return;
    // Last registered first, like nested resources closing in reverse order of opening.
    for (const work of this.#afterTestFile.splice(0).reverse()) {
      try {
        await work();
      } catch (error) {
        // Reported as "Test suite failed to run": a file whose clean-up fails must not pass silently.
        state.unhandledErrors.push(error);
      }
    }
  }
}
