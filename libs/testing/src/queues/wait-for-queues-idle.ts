import type { Queue } from 'bullmq';

export interface WaitForQueuesIdleOptions {
  timeoutMs: number;
  pollMs?: number;
}

const BUSY_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * Resolves once no queue has a job waiting, active or delayed; throws with every queue's counts when
 * the hard timeout passes, so a stuck job fails the test with a reason instead of hanging it.
 */
export async function waitForQueuesIdle(queues: Queue[], options: WaitForQueuesIdleOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 25;
  for (;;) {
    const counts = await Promise.all(
      queues.map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts(...BUSY_STATES) })),
    );
    const busy = counts.filter(({ counts: c }) => BUSY_STATES.some((state) => (c[state] ?? 0) > 0));
    if (busy.length === 0) return;
    if (Date.now() > deadline) {
      const detail = busy.map(({ queue, counts: c }) => `${queue} ${JSON.stringify(c)}`).join('; ');
      throw new Error(`Queues not idle after ${options.timeoutMs} ms: ${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
