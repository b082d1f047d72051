import { backgroundDropsSettled } from '../database/database-admin.js';
import { flawsPutBackOf, variantsOf, type Finding } from './finding.js';
import type { DiscoveredSuite } from './discover-suites.js';
import {
  runFlawPutBack,
  runMeasurement,
  type FlawPutBackResult,
  type VariantResult,
} from './run-measurement.js';

export interface FindingResult {
  packagePath: string;
  suite: string;
  finding: Finding;
  variants: VariantResult[];
  flawsPutBack: FlawPutBackResult[];
  error?: string;
  /** Every variant's predicate held and discriminated, and every flaw put back was caught. */
  proven: boolean;
}

export interface RunFindingsOptions {
  onFindingStart?: (finding: Finding, index: number, total: number) => void;
  onFindingDone?: (result: FindingResult, index: number, total: number) => void;
  log?: (line: string) => void;
}

export async function runFindings(
  suites: DiscoveredSuite[],
  options: RunFindingsOptions = {},
): Promise<FindingResult[]> {
  const total = suites.reduce((sum, { suite }) => sum + suite.findings.length, 0);
  const results: FindingResult[] = [];
  for (const { packagePath, suite } of suites) {
    for (const finding of suite.findings) {
      const index = results.length + 1;
      options.onFindingStart?.(finding, index, total);
      const variants: VariantResult[] = [];
      const flawsPutBack: FlawPutBackResult[] = [];
      let error: string | undefined;
      try {
        for (const variant of variantsOf(finding))
          variants.push(await runMeasurement(suite, finding, variant, options.log));
        for (const { flaw } of flawsPutBackOf(finding))
          flawsPutBack.push(await runFlawPutBack(suite, finding, flaw, options.log));
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
      }
      const proven =
        !error &&
        variants.every((variant) => variant.holds && variant.discriminates) &&
        flawsPutBack.every((putBack) => putBack.caught);
      const result: FindingResult = {
        packagePath,
        suite: suite.name,
        finding,
        variants,
        flawsPutBack,
        proven,
        ...(error ? { error } : {}),
      };
      results.push(result);
      options.onFindingDone?.(result, index, total);
    }
  }
  // Each measurement's database was dropped in the background, during the next measurement.
  await backgroundDropsSettled();
  return results;
}
