import { Queue, Worker } from 'bullmq';
import { useTestContext, waitForQueuesIdle } from '@remedy/testing';

describe('waitForQueuesIdle', () => {
  const ctx = useTestContext({ name: 'harness-queues' });
  const connection = () => ({ url: ctx.redisUrl, maxRetriesPerRequest: null });

  it('throws with the queue counts when jobs are still waiting at the deadline', async () => {
    const queue = new Queue('stuck', { connection: connection(), prefix: ctx.prefix });
    try {
      await queue.add('job', {});
      await expect(waitForQueuesIdle([queue], { timeoutMs: 200 })).rejects.toThrow(/stuck .*"waiting":1/);
    } finally {
      await queue.close();
    }
  });

  it('resolves once a worker has drained the queue', async () => {
    const queue = new Queue('drained', { connection: connection(), prefix: ctx.prefix });
    let processed = 0;
    const worker = new Worker(
      'drained',
      async () => {
        processed++;
      },
      { connection: connection(), prefix: ctx.prefix },
    );
    try {
      await queue.addBulk(Array.from({ length: 20 }, (_, i) => ({ name: 'job', data: { i } })));
      await waitForQueuesIdle([queue], { timeoutMs: 10_000 });
      expect(processed).toBe(20);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
