import type { describe as Describe, test as Test } from '@jest/globals';
import { allIds, variantsOf, type Finding } from './finding.js';
import type { FindingSuite } from './finding-suite.js';
import { runMeasurement, type VariantResult } from './run-measurement.js';

// Jest injects these globals; importing @jest/globals here would break the demo, which loads this lib outside jest.
declare const describe: typeof Describe;
declare const test: typeof Test;

/**
 * One jest test per variant, titled `<ID> flawed: …` / `<ID> remediated: …`. Each asserts that its own
 * predicate holds and that the other one rejects the value, so every proof is shown able to fail.
 */
export function registerFindingTests(suite: FindingSuite): void {
  describe(`${suite.name} findings`, () => {
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
    }
  });
}

function assertVerdict(finding: Finding, result: VariantResult): void {
  const measured = `${finding.metric.name} = ${result.value} ${finding.metric.unit}${formatDetails(result.details)}`;
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

function formatDetails(details: VariantResult['details']): string {
  if (!details) return '';
  return ` (${Object.entries(details)
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ')})`;
}
