import { waitUntil } from '@remedy/testing';
import type { Queue } from 'bullmq';

/**
 * Waits until the reminders queue has nothing to do but its scheduler's next run (always one delayed job,
 * which is why waitForQueuesIdle cannot be used here). A failed batch waiting for its retry is delayed
 * too, so it keeps this waiting.
 */
export async function waitForRemindersIdle(queue: Queue, timeoutMs: number): Promise<void> {
  await waitUntil(
    'the reminders queue to drain',
    async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      return (
        counts['waiting'] === 0 &&
        counts['active'] === 0 &&
        counts['prioritized'] === 0 &&
        counts['delayed']! <= 1
      );
    },
    timeoutMs,
  );
}
