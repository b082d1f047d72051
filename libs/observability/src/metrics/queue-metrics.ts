import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

const queuesByRegistry = new WeakMap<Registry, Set<Queue>>();

/**
 * Exports `queue_jobs{queue,state}` for the given BullMQ queues, read with `getJobCounts` on each
 * scrape rather than tracked by events, so the numbers are Redis's own. Call it again with more
 * queues to add them to the same gauge. A queue whose counts cannot be read (Redis down, queue
 * closed) is left out of that scrape instead of failing the whole `/metrics` response.
 */
export function registerQueueMetrics(registry: Registry, queues: readonly Queue[]): void {
  let tracked = queuesByRegistry.get(registry);
  if (tracked === undefined) {
    const registered = new Set<Queue>();
    tracked = registered;
    queuesByRegistry.set(registry, registered);
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs per queue and state, read from Redis at scrape time',
      labelNames: ['queue', 'state'],
      registers: [registry],
      // Redis's counts, the same from every worker of a cluster: aggregated, one of them, not their sum.
      aggregator: 'max',
      async collect() {
        const counts = await Promise.all(
          [...registered].map(async (queue) => ({
            queue: queue.name,
            counts: await queue.getJobCounts(...QUEUE_STATES).catch(() => undefined),
          })),
        );
        this.reset();
        for (const { queue, counts: byState } of counts) {
          if (byState === undefined) continue;
          for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
        }
      },
    });
  }
  for (const queue of queues) tracked.add(queue);
}
