import { createIsolatedContext } from '../context/isolated-context.js';
import type { Finding, Measurement, Variant } from './finding.js';
import type { FindingSuite } from './finding-suite.js';

interface Measured extends Measurement {
  durationMs: number;
}

export interface VariantResult extends Measured {
  variant: Variant;
  /** The predicate for this variant held: the flaw showed (flawed) or was gone (remediated). */
  holds: boolean;
  /** The opposite predicate rejected the value, so the proof is shown able to fail. */
  discriminates: boolean;
}

export interface FlawPutBackResult extends Measured {
  flaw: string;
  description: string;
  /** The remediated predicate rejected the value: with this flaw back in the service, the proof fails. */
  caught: boolean;
}

/** Runs one variant of a finding on a fresh database and Redis prefix, and judges the value. */
export async function runMeasurement(
  suite: FindingSuite,
  finding: Finding,
  variant: Variant,
  log?: (line: string) => void,
): Promise<VariantResult> {
  const measured = await measureOnce(suite, finding, variant, log);
  return { ...measured, variant, ...judge(finding, variant, measured.value) };
}

/** Runs the remediated measurement with one flaw put back, and checks the remediated predicate rejects it. */
export async function runFlawPutBack(
  suite: FindingSuite,
  finding: Finding,
  flaw: string,
  log?: (line: string) => void,
): Promise<FlawPutBackResult> {
  const description = finding.flawsPutBack[flaw];
  if (description === undefined) throw new Error(`${finding.id} has no flaw put back named "${flaw}"`);
  const measured = await measureOnce(suite, finding, flaw, log);
  return { ...measured, flaw, description, caught: !finding.remediated(measured.value) };
}

async function measureOnce(
  suite: FindingSuite,
  finding: Finding,
  run: string,
  log?: (line: string) => void,
): Promise<Measured> {
  const context = await createIsolatedContext(suite, {
    ...(log ? { log } : {}),
    ...(finding.seed ? { seed: { name: finding.id, seed: finding.seed } } : {}),
  });
  const started = performance.now();
  try {
    const raw = await finding.measure(run, context);
    const measurement = typeof raw === 'number' ? { value: raw } : raw;
    if (!Number.isFinite(measurement.value))
      throw new Error(`${finding.id} ${run}: measure() returned ${measurement.value}`);
    return { ...measurement, durationMs: performance.now() - started };
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
