import { createIsolatedContext } from '../context/isolated-context.js';
import type { Finding, Measurement, Variant } from './finding.js';
import type { FindingSuite } from './finding-suite.js';

export interface VariantResult extends Measurement {
  variant: Variant;
  /** The predicate for this variant held: the flaw showed (flawed) or was gone (remediated). */
  holds: boolean;
  /** The opposite predicate rejected the value, so the proof is shown able to fail. */
  discriminates: boolean;
  durationMs: number;
}

/** Runs one variant of a finding on a fresh database and Redis prefix, and judges the value. */
export async function runMeasurement(
  suite: FindingSuite,
  finding: Finding,
  variant: Variant,
  log?: (line: string) => void,
): Promise<VariantResult> {
  const context = await createIsolatedContext(suite, log ? { log } : {});
  const started = performance.now();
  try {
    const raw = await finding.measure(variant, { ...context, variant });
    const measurement = typeof raw === 'number' ? { value: raw } : raw;
    if (!Number.isFinite(measurement.value))
      throw new Error(`${finding.id} ${variant}: measure() returned ${measurement.value}`);
    return {
      ...measurement,
      variant,
      ...judge(finding, variant, measurement.value),
      durationMs: performance.now() - started,
    };
  } finally {
    await context.dispose();
  }
}

function judge(
  finding: Finding,
  variant: Variant,
  value: number,
): { holds: boolean; discriminates: boolean } {
  if (variant === 'flawed') {
    return { holds: finding.flawed?.(value) ?? false, discriminates: !finding.remediated(value) };
  }
  return { holds: finding.remediated(value), discriminates: finding.flawed ? !finding.flawed(value) : true };
}
