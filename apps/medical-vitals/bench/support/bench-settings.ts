import { availableParallelism } from 'node:os';

/**
 * Bench knobs from the environment, so a quick run is one variable away:
 *   VITALS_BENCH_SECONDS=10 npm run bench -- medical-vitals
 * (benches are tooling, not the service: the service reads its environment only in src/config.ts).
 */
export const BENCH_SECONDS = positive('VITALS_BENCH_SECONDS', 60);
export const BENCH_DEVICES = positive('VITALS_BENCH_DEVICES', 5_000);
export const BENCH_REPORT_ROWS = positive('VITALS_BENCH_REPORT_ROWS', 1_000_000);
export const BENCH_HTTP_SECONDS = positive('VITALS_BENCH_HTTP_SECONDS', 10);
/** API processes the device bench runs (INGEST_WORKERS): one per available core unless set. */
export const BENCH_WORKERS = positive('VITALS_BENCH_WORKERS', availableParallelism());

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
