import { aggregateWorkerMetrics } from '@remedy/observability';
import cluster, { type Worker } from 'node:cluster';

export interface ApiClusterOptions {
  workers: number;
  /** Environment every worker gets on top of the primary's (secrets they must share). */
  env: Record<string, string | undefined>;
  log(message: string): void;
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The primary of an API cluster: forks `workers` processes that share the listening port (node:cluster hands
 * accepted connections round-robin), replaces a worker that dies, and on SIGTERM/SIGINT passes SIGTERM on so
 * each worker shuts down gracefully (drain devices, flush, ack), then exits once every worker has.
 * Resolves with the exit code for the primary. The service keeps no state in the process (sessions are per
 * socket, rate buckets and the live hub are in Redis), so the workers need nothing from one another; only a
 * scrape of `/metrics`, which lands on one worker, goes through the primary to count all of them.
 */
export function runApiCluster(options: ApiClusterOptions): Promise<number> {
  let stopping = false;
  let failed = false;
  const fork = (): Worker => cluster.fork(options.env);
  const stopAggregating = aggregateWorkerMetrics();
  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const alive = Object.keys(cluster.workers ?? {}).length;
      if (!stopping) {
        options.log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        fork();
        return;
      }
      if (code !== 0) failed = true;
      if (alive === 0) resolve(failed ? 1 : 0);
    });
    for (const signal of SHUTDOWN_SIGNALS) {
      process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        options.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} workers`);
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      });
    }
    for (let i = 0; i < options.workers; i += 1) fork();
    options.log(`started ${options.workers} API workers`);
  }).finally(stopAggregating);
}
