/**
 * Bench knobs from the environment, so a quick run is one variable away:
 *   LIVE_BENCH_FOLLOWERS=10000 LIVE_BENCH_ROUNDS=2 npm run bench -- live-streaming
 * (benches are tooling, not the service: the service reads its environment only in src/config.ts).
 */
export const BENCH_FOLLOWERS = positive('LIVE_BENCH_FOLLOWERS', 100_000);
/** Share of the followers online over WebSocket while the streamer goes live. */
export const BENCH_ONLINE_SHARE = positive('LIVE_BENCH_ONLINE_SHARE', 0.1);
/** Go-lives of the same streamer, one after another (each ends before the next): the start p95 is over these. */
export const BENCH_ROUNDS = positive('LIVE_BENCH_ROUNDS', 5);
/** Followers of the streamer served by the review's inline loop, in the same run. */
export const BENCH_FLAWED_FOLLOWERS = positive('LIVE_BENCH_FLAWED_FOLLOWERS', 10_000);
/**
 * Sockets per process (each API instance and each client process): one socket is a file on both ends, and a
 * process here may hold 20,000 files, so 5,000 a process leaves room for everything else it opens.
 */
export const SOCKETS_PER_PROCESS = positive('LIVE_BENCH_SOCKETS_PER_PROCESS', 5_000);

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
