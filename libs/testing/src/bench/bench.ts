import type { IsolatedContext } from '../context/isolated-context.js';
import type { PackageHarness } from '../package-harness.js';

/** A measured value, a verdict (a goal met or not), or a group of them (one run of several, the goals). */
export type BenchValue = number | string | boolean | BenchResult;
export interface BenchResult {
  [field: string]: BenchValue;
}

export interface Bench {
  name: string;
  harness: PackageHarness;
  run(ctx: Omit<IsolatedContext, 'dispose'>): Promise<BenchResult>;
}

export function defineBench(bench: Bench): Bench {
  return bench;
}
