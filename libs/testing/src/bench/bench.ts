import type { IsolatedContext } from '../context/isolated-context.js';
import type { PackageHarness } from '../package-harness.js';

export type BenchResult = Record<string, number | string>;

export interface Bench {
  name: string;
  harness: PackageHarness;
  run(ctx: Omit<IsolatedContext, 'dispose'>): Promise<BenchResult>;
}

export function defineBench(bench: Bench): Bench {
  return bench;
}
