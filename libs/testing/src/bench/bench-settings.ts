/**
 * A bench knob from the environment, so a quick run is one variable away (`LIVE_BENCH_CHAT_SECONDS=10 npm run
 * bench -- live-streaming`). Benches are tooling, not a service: a service reads its environment only in its
 * config.
 */
export function benchSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/**
 * A nice value (0 to 19) from the environment, or `fallback`: a bench's load-generating processes yield the cores to
 * the service's processes with it, as clients on their own machines would take none of the service's.
 */
export function benchNiceSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 19)
    throw new Error(`${name} must be an integer from 0 to 19, got "${raw}"`);
  return value;
}

/** The nearest-rank percentile `p` (0–100) of `values`; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
