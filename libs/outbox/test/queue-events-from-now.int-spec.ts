import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { once } from 'node:events';
import { outboxHarness } from '../findings/outbox-harness.js';
import { bullMqConnection } from '../findings/support/bullmq-connection.js';
import { queueEventsFromNow } from '../src/index.js';

const ctx = useTestContext(outboxHarness);
const QUEUE = 'events-from-now';
let queue: Queue;
let worker: Worker;
let redis: Redis;

beforeAll(async () => {
  const connection = bullMqConnection(ctx.redisUrl);
  queue = new Queue(QUEUE, { connection, prefix: ctx.prefix });
  worker = new Worker(QUEUE, async (job) => `done ${job.id}`, { connection, prefix: ctx.prefix });
  await worker.waitUntilReady();
  redis = new Redis(ctx.redisUrl);
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  redis.disconnect();
});

/** Job ids whose completion `events` reported, in order. */
function completions(events: QueueEvents): string[] {
  const seen: string[] = [];
  events.on('completed', ({ jobId }) => seen.push(jobId));
  return seen;
}

test('reports a job that finished before its first read; a plain QueueEvents, reading from `$`, misses it', async () => {
  const fromNow = await queueEventsFromNow(queue, { autorun: false });
  const plain = new QueueEvents(QUEUE, {
    connection: bullMqConnection(ctx.redisUrl),
    prefix: ctx.prefix,
    autorun: false,
  });
  const seenFromNow = completions(fromNow);
  const seenPlain = completions(plain);

  // The gap, held open: the job is added and finished before either has sent its first XREAD.
  const finished = once(worker, 'completed');
  const early = await queue.add('early', {});
  await finished;

  void fromNow.run();
  void plain.run();
  await waitUntil('both event readers blocked in XREAD', async () => {
    const clients = ((await redis.call('CLIENT', 'LIST')) as string).split('\n');
    return clients.filter((line) => line.includes(ctx.prefix) && /\bcmd=xread\b/.test(line)).length === 2;
  });
  const late = await queue.add('late', {});
  await Promise.all([once(fromNow, `completed:${late.id}`), once(plain, `completed:${late.id}`)]);

  expect(seenFromNow).toEqual([early.id, late.id]);
  expect(seenPlain).toEqual([late.id]);
  await Promise.all([fromNow.close(), plain.close()]);
});

test('on a queue whose events stream does not exist yet, it reads from the first event', async () => {
  const fresh = new Queue(`${QUEUE}-fresh`, {
    connection: bullMqConnection(ctx.redisUrl),
    prefix: ctx.prefix,
  });
  const events = await queueEventsFromNow(fresh);
  const seen = completions(events);
  const freshWorker = new Worker(`${QUEUE}-fresh`, async () => 'ok', {
    connection: bullMqConnection(ctx.redisUrl),
    prefix: ctx.prefix,
  });
  const job = await fresh.add('first', {});
  expect(await job.waitUntilFinished(events)).toBe('ok');
  expect(seen).toEqual([job.id]);
  await Promise.all([events.close(), freshWorker.close(), fresh.close()]);
});
