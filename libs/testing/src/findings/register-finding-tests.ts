import type { afterAll as AfterAll, describe as Describe, test as Test } from '@jest/globals';
import { backgroundDropsSettled } from '../database/database-admin.js';
import { allIds, flawsPutBackOf, variantsOf, type Finding } from './finding.js';
import type { FindingSuite } from './finding-suite.js';
import { runFlawPutBack, runMeasurement, type VariantResult } from './run-measurement.js';
import type { Measurement } from './finding.js';

// Jest injects these globals; importing @jest/globals here would break the demo, which loads this lib outside jest.
declare const describe: typeof Describe;
declare const test: typeof Test;
declare const afterAll: typeof AfterAll;

/**
 * One jest test per variant, titled `<ID> flawed: …` / `<ID> remediated: …`, each asserting that its own
 * predicate holds and that the other one rejects the value; and one per flaw put back, titled
 * `<ID> flaw put back (<name>): …`, asserting that the remediated predicate rejects the service with that
 * flaw in it. A proof that could not fail, or that stays green when the fix is removed, is a failing test.
 */
export function registerFindingTests(suite: FindingSuite): void {
  describe(`${suite.name} findings`, () => {
    // Each measurement's database is dropped in the background, during the next one; jest tears the
    // file's module environment down after its last hook, so the last drops finish here.
    afterAll(() => backgroundDropsSettled(), 60_000);
    for (const finding of suite.findings) {
      for (const variant of variantsOf(finding)) {
        test(
          `${finding.id} ${variant}: ${finding.title}`,
          async () => {
            assertVerdict(finding, await runMeasurement(suite, finding, variant));
          },
          finding.timeoutMs,
        );
      }
      for (const { flaw, description } of flawsPutBackOf(finding)) {
        test(
          `${finding.id} flaw put back (${flaw}): ${description}`,
          async () => {
            const result = await runFlawPutBack(suite, finding, flaw);
            if (!result.caught)
              throw new Error(
                `${allIds(finding)} flaw put back (${flaw}): the remediated predicate still accepts ${describeMeasured(finding, result)}: this proof stays green without the fix`,
              );
          },
          finding.timeoutMs,
        );
      }
    }
  });
}

function assertVerdict(finding: Finding, result: VariantResult): void {
  const measured = describeMeasured(finding, result);
  const ids = allIds(finding);
  if (!result.holds) {
    const expected = result.variant === 'flawed' ? 'the flaw to show' : 'the flaw to be gone';
    throw new Error(`${ids} ${result.variant}: expected ${expected}, but ${measured}`);
  }
  if (!result.discriminates) {
    const other = result.variant === 'flawed' ? 'remediated' : 'flawed';
    throw new Error(
      `${ids} ${result.variant}: the ${other} predicate also accepts ${measured}: this proof cannot fail`,
    );
  }
}

function describeMeasured(finding: Finding, result: Measurement): string {
  const details = result.details
    ? ` (${Object.entries(result.details)
        .map(([key, value]) => `${key}: ${value}`)
        .join(', ')})`
    : '';
  return `${finding.metric.name} = ${result.value} ${finding.metric.unit}${details}`;
}
