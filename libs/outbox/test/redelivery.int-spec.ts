import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { Queue, Worker } from 'bullmq';
import { RestartableRedisServer, useTestContext, waitUntil } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import { bullMqConnection } from '../findings/support/bullmq-connection.js';
import {
  BullMqPublisher,
  markOutboxCompleted,
  OutboxRelay,
  writeOutboxMessages,
  type OutboxEnvelope,
} from '../src/index.js';

const ctx = useTestContext(outboxHarness);
const MESSAGES = 40;
let redis: RestartableRedisServer;
let queue: Queue;
let worker: Worker | undefined;

beforeAll(async () => {
  redis = await RestartableRedisServer.start();
});

// Ids keep growing across tests, so no job id meets a completed job a previous test left in the queue.
beforeEach(async () => {
  await ctx.pool.query('DELETE FROM outbox');
});

afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await queue.close();
});

afterAll(async () => {
  await redis.stop();
});

function relayFor(visibilityTimeoutMs: number): OutboxRelay {
  queue = new Queue('deliveries', { connection: bullMqConnection(redis.url), prefix: ctx.prefix });
  return new OutboxRelay({
    pool: ctx.pool,
    publisher: new BullMqPublisher({ queue }),
    listen: false,
    redelivery: { visibilityTimeoutMs },
  });
}

/* A consumer that acknowledges each message in Postgres once it has "done" it, counting deliveries per id. */
function startConsumer(deliveries: Map<string, number>): void {
  worker = new Worker<OutboxEnvelope>(
    'deliveries',
    async (job) => {
      deliveries.set(job.data.outboxId, (deliveries.get(job.data.outboxId) ?? 0) + 1);
      await markOutboxCompleted(ctx.pool, job.data.outboxId);
    },
    { connection: bullMqConnection(redis.url), prefix: ctx.prefix, concurrency: 8 },
  );
}

async function publishAll(relay: OutboxRelay): Promise<void> {
  while ((await relay.processBatch()).claimed > 0);
}

async function completedCount(): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE completed_at IS NOT NULL',
  );
  return rows[0]?.n ?? 0;
}

test('jobs the queue Redis lost in a restart are published again and every message is consumed', async () => {
  const relay = relayFor(0);
  await writeOutboxMessages(
    ctx.pool,
    Array.from({ length: MESSAGES }, (_, i) => ({ topic: 'mail', payload: { i } })),
  );
  await publishAll(relay);
  expect(await queue.getWaitingCount()).toBe(MESSAGES);

  await redis.restart(); // no AOF: the accepted jobs are gone, the rows say "published"
  expect(await queue.getWaitingCount()).toBe(0);

  const deliveries = new Map<string, number>();
  startConsumer(deliveries);
  expect(await relay.redeliverUncompleted()).toBe(MESSAGES);
  await publishAll(relay);
  await waitUntil('every message completed', async () => (await completedCount()) === MESSAGES, 20_000);
  expect(deliveries.size).toBe(MESSAGES);
  expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
  expect(await relay.redeliverUncompleted()).toBe(0);
});

test('a redelivered id still queued is absorbed by the jobId dedupe: one job, one delivery', async () => {
  const relay = relayFor(0);
  await writeOutboxMessages(
    ctx.pool,
    Array.from({ length: MESSAGES }, (_, i) => ({ topic: 'mail', payload: { i } })),
  );
  await publishAll(relay);
  expect(await relay.redeliverUncompleted()).toBe(MESSAGES);
  await publishAll(relay);
  expect(await queue.getWaitingCount()).toBe(MESSAGES);

  const deliveries = new Map<string, number>();
  startConsumer(deliveries);
  await waitUntil('every message completed', async () => (await completedCount()) === MESSAGES, 20_000);
  expect([...deliveries.values()].reduce((a, b) => a + b, 0)).toBe(MESSAGES);
});

test('rows within the visibility timeout are left alone', async () => {
  const relay = relayFor(3_600_000);
  await writeOutboxMessages(ctx.pool, [{ topic: 'mail', payload: {} }]);
  await publishAll(relay);
  expect(await relay.redeliverUncompleted()).toBe(0);
});
