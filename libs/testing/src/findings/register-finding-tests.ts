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

/* A drop waits for a server-wide checkpoint: a minute or more while another test bulk-loads (measured 60+ s). */
const DROPS_SETTLED_TIMEOUT_MS = 300_000;

/**
 * One jest test per variant, titled `<ID> flawed: …` / `<ID> remediated: …`, each asserting that its own
 * predicate holds and that the other one rejects the value; and one per flaw put back, titled
 * `<ID> flaw put back (<name>): …`, asserting that the remediated predicate rejects the service with that
 * flaw in it. A proof that could not fail, or that stays green when the fix is removed, is a failing test.
 *
 * `part` registers every `of`-th finding only, starting at the `part`-th: a package whose proofs take
 * minutes spreads them over `of` spec files, one call each, so jest's workers run them side by side
 * instead of one worker running them all while the others idle. Together the parts cover every finding.
 */
export function registerFindingTests(suite: FindingSuite, split: FindingsPart = { part: 1, of: 1 }): void {
  const findings = findingsOfPart(suite.findings, split);
  describe(`${suite.name} findings${split.of > 1 ? ` (part ${split.part} of ${split.of})` : ''}`, () => {
    // Each measurement's database is dropped in the background, during the next one; jest tears the
    // file's module environment down after its last hook, so the last drops finish here.
    afterAll(() => backgroundDropsSettled(), DROPS_SETTLED_TIMEOUT_MS);
    for (const finding of findings) {
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

export interface FindingsPart {
  /** 1-based. */
  part: number;
  of: number;
}

/** The findings of one part: every `of`-th, in the suite's order, starting at the `part`-th. */
export function findingsOfPart(findings: readonly Finding[], { part, of }: FindingsPart): Finding[] {
  if (!Number.isInteger(of) || of < 1 || !Number.isInteger(part) || part < 1 || part > of)
    throw new Error(`registerFindingTests: part ${part} of ${of} is not a part (1 ≤ part ≤ of)`);
  return findings.filter((_, index) => index % of === part - 1);
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
