import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Queue, Worker, type Job } from 'bullmq';
import { useTestContext, waitForQueuesIdle, waitUntil } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import { bullMqConnection } from '../findings/support/bullmq-connection.js';
import {
  BullMqPublisher,
  CORRELATION_ID_HEADER,
  DEFAULT_OUTBOX_JOB_OPTIONS,
  OutboxRelay,
  outboxJobId,
  writeOutboxMessages,
  type OutboxEnvelope,
  type OutboxRecord,
} from '../src/index.js';

const ctx = useTestContext(outboxHarness);
let queues: Queue[];

beforeAll(() => {
  const connection = bullMqConnection(ctx.redisUrl);
  queues = ['orders', 'emails'].map((name) => new Queue(name, { connection, prefix: ctx.prefix }));
});

afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
});

function record(id: string, topic: string): OutboxRecord {
  return {
    id,
    topic,
    payload: { id },
    headers: { [CORRELATION_ID_HEADER]: `c-${id}` },
    attempts: 0,
    createdAt: new Date(),
  };
}

test('publishes with jobId = outbox id and explicit retention, attempts and backoff', async () => {
  const [orders] = queues;
  if (!orders) throw new Error('queues not set up');
  const publisher = new BullMqPublisher({ queue: orders });
  expect(await publisher.publish([record('101', 'order.placed')])).toEqual({ failed: [] });
  const job = await orders.getJob(outboxJobId('101'));
  expect(job?.name).toBe('order.placed');
  expect(job?.data).toEqual({
    outboxId: '101',
    topic: 'order.placed',
    payload: { id: '101' },
    headers: { [CORRELATION_ID_HEADER]: 'c-101' },
  });
  expect(job?.opts).toMatchObject(DEFAULT_OUTBOX_JOB_OPTIONS);
});

test('a republished batch adds no second job: BullMQ drops the known job ids', async () => {
  const [orders] = queues;
  if (!orders) throw new Error('queues not set up');
  const publisher = new BullMqPublisher({ queue: orders });
  await publisher.publish([record('201', 'order.placed'), record('202', 'order.placed')]);
  await publisher.publish([
    record('201', 'order.placed'),
    record('202', 'order.placed'),
    record('203', 'order.placed'),
  ]);
  const ids = (await orders.getJobs(['waiting']))
    .map((job) => job.id)
    .filter((id) => id?.startsWith('outbox-20'));
  expect(ids.sort()).toEqual(['outbox-201', 'outbox-202', 'outbox-203']);
});

test('routes topics to queues, and reports a queue that fails as failed records only', async () => {
  const [orders, emails] = queues;
  if (!orders || !emails) throw new Error('queues not set up');
  const closed = new Queue('closed', { connection: bullMqConnection(ctx.redisUrl), prefix: ctx.prefix });
  await closed.close();
  const publisher = new BullMqPublisher({
    queue: (topic) => (topic.startsWith('email.') ? emails : topic === 'broken' ? closed : orders),
  });
  const report = await publisher.publish([
    record('301', 'order.placed'),
    record('302', 'email.confirmation'),
    record('303', 'broken'),
  ]);
  expect(report.failed.map((f) => f.id)).toEqual(['303']);
  expect(await orders.getJob(outboxJobId('301'))).toBeDefined();
  expect((await emails.getJob(outboxJobId('302')))?.name).toBe('email.confirmation');
});

test('end to end: writer, relay and a BullMQ worker deliver every committed message', async () => {
  const queue = new Queue('e2e', { connection: bullMqConnection(ctx.redisUrl), prefix: ctx.prefix });
  const received: string[] = [];
  const worker = new Worker<OutboxEnvelope>(
    'e2e',
    async (job: Job<OutboxEnvelope>) => {
      received.push(job.data.outboxId);
    },
    { connection: bullMqConnection(ctx.redisUrl), prefix: ctx.prefix, concurrency: 10 },
  );
  const relay = new OutboxRelay({ pool: ctx.pool, publisher: new BullMqPublisher({ queue }), batchSize: 50 });
  try {
    await relay.start();
    const ids = await writeOutboxMessages(
      ctx.pool,
      Array.from({ length: 120 }, (_, i) => ({ topic: 'e2e', payload: { i } })),
    );
    await waitUntil('all 120 jobs to be processed', () => received.length >= 120);
    await waitForQueuesIdle([queue], { timeoutMs: 10_000 });
    expect(received.sort()).toEqual([...ids].sort());
  } finally {
    await relay.stop();
    await worker.close();
    await queue.close();
  }
});
