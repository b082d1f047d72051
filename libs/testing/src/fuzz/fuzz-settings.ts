/** How many cases and which seed a fuzz run uses. */
export interface FuzzSettings {
  readonly seed: number;
  readonly numRuns: number;
}

/** The seed every run uses unless FUZZ_SEED says otherwise, so `npm test` is repeatable. */
export const DEFAULT_FUZZ_SEED = 20_261_205;

function integerFromEnvironment(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * A deterministic seed (FUZZ_SEED overrides it, e.g. to replay a failure printed by a run) and the case
 * count (`numRuns`, scaled by FUZZ_RUNS_FACTOR for a longer hunt: FUZZ_RUNS_FACTOR=10).
 */
export function fuzzSettings(numRuns: number): FuzzSettings {
  const factor = integerFromEnvironment('FUZZ_RUNS_FACTOR') ?? 1;
  if (factor < 1) throw new Error('FUZZ_RUNS_FACTOR must be at least 1');
  return { seed: integerFromEnvironment('FUZZ_SEED') ?? DEFAULT_FUZZ_SEED, numRuns: numRuns * factor };
}
