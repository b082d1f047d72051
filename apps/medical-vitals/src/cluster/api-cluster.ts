import { aggregateWorkerMetrics } from '@remedy/observability';
import cluster, { type Worker } from 'node:cluster';
import { performance } from 'node:perf_hooks';

export interface ApiClusterOptions {
  workers: number;
  /** A worker that dies is replaced, up to `limit` deaths within `windowSeconds`; one more stops the cluster. */
  restarts: { limit: number; windowSeconds: number };
  /** Environment every worker gets on top of the primary's (secrets they must share). */
  env: Record<string, string | undefined>;
  log(message: string): void;
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The primary of an API cluster: forks `workers` processes that share the listening port (node:cluster hands
 * accepted connections round-robin), replaces a worker that dies, and on SIGTERM/SIGINT passes SIGTERM on so
 * each worker shuts down gracefully (drain devices, flush, ack), then exits once every worker has.
 * Workers that keep dying (one that cannot start dies within seconds, every time) are not replaced forever:
 * past `restarts.limit` deaths within the window the primary says why, stops the rest the same way and exits 1,
 * so the container's supervisor sees a failed service instead of a primary that looks alive and serves nothing.
 * Resolves with the exit code for the primary. The service keeps no state in the process (sessions are per
 * socket, rate buckets and the live hub are in Redis), so the workers need nothing from one another; only a
 * scrape of `/metrics`, which lands on one worker, goes through the primary to count all of them.
 */
export function runApiCluster(options: ApiClusterOptions): Promise<number> {
  const { limit, windowSeconds } = options.restarts;
  let stopping = false;
  let failed = false;
  /** When the workers that died unasked died, within the window (performance.now(), ms). */
  const deaths: number[] = [];
  const alive = (): Worker[] => Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  const fork = (): Worker => cluster.fork(options.env);
  const stop = (): void => {
    stopping = true;
    for (const worker of alive()) worker.process.kill('SIGTERM');
  };
  const stopAggregating = aggregateWorkerMetrics();
  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const exited = `worker ${worker.process.pid} exited (${signal ?? code})`;
      if (!stopping) {
        const now = performance.now();
        deaths.push(now);
        while (deaths[0]! <= now - windowSeconds * 1_000) deaths.shift();
        if (deaths.length <= limit) {
          options.log(`${exited}; starting another`);
          fork();
          return;
        }
        options.log(
          `${exited}; ${deaths.length} workers exited within ${windowSeconds} s (limit ${limit}): stopping the rest and exiting`,
        );
        failed = true;
        stop();
      }
      if (code !== 0) failed = true;
      if (alive().length === 0) resolve(failed ? 1 : 0);
    });
    for (const signal of SHUTDOWN_SIGNALS) {
      process.on(signal, () => {
        if (stopping) return;
        options.log(`${signal}: stopping ${alive().length} workers`);
        stop();
      });
    }
    for (let i = 0; i < options.workers; i += 1) fork();
    options.log(`started ${options.workers} API workers`);
  }).finally(stopAggregating);
}
