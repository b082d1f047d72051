import { Queue, Worker, type Job } from 'bullmq';
import type pg from 'pg';
import { defineFinding, waitForQueuesIdle, waitUntil, type FindingContext } from '@remedy/testing';
import { placeOrderThenEnqueue } from '../katas/publish-after-commit.flawed.js';
import { BullMqPublisher, OutboxRelay, writeOutboxMessage } from '../src/index.js';
import { bullMqConnection } from './support/bullmq-connection.js';

const ORDERS = 50;
const CRASH_EVERY = 5;

class SimulatedCrash extends Error {}

/** The kata enqueues `{ reference }`; the relay delivers an `OutboxEnvelope` whose payload holds it. */
interface OrderJob {
  reference?: string;
  payload?: { reference: string };
}

/* The remediated request path: the order and its message commit together; delivery is the relay's job. */
async function placeOrderWithOutbox(
  pool: pg.Pool,
  reference: string,
  afterCommit: () => void,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO kata_orders (reference) VALUES ($1)', [reference]);
    await writeOutboxMessage(client, { topic: 'order.placed', payload: { reference } });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  afterCommit();
}

async function measure(
  variant: FindingContext['variant'],
  ctx: FindingContext,
): Promise<{ value: number; details: Record<string, number> }> {
  const connection = bullMqConnection(ctx.redisUrl);
  const queue = new Queue('orders', { connection, prefix: ctx.prefix });
  const received = new Set<string>();
  const worker = new Worker<OrderJob>(
    'orders',
    (job: Job<OrderJob>) => {
      const reference = job.data.reference ?? job.data.payload?.reference;
      if (reference) received.add(reference);
      return Promise.resolve();
    },
    { connection, prefix: ctx.prefix, concurrency: 10 },
  );
  const relay =
    variant === 'remediated'
      ? new OutboxRelay({ pool: ctx.pool, publisher: new BullMqPublisher({ queue }), batchSize: 20 })
      : undefined;
  try {
    await relay?.start();
    let crashes = 0;
    for (let i = 1; i <= ORDERS; i += 1) {
      const dies = i % CRASH_EVERY === 0;
      const afterCommit = (): void => {
        if (dies) throw new SimulatedCrash(`process died after committing order-${i}`);
      };
      try {
        if (variant === 'flawed') await placeOrderThenEnqueue(ctx.pool, queue, `order-${i}`, afterCommit);
        else await placeOrderWithOutbox(ctx.pool, `order-${i}`, afterCommit);
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashes += 1;
      }
    }
    ctx.log(`${variant}: ${ORDERS} orders written, ${crashes} writers died after commit`);
    if (relay) {
      await waitUntil(
        'the relay to drain the outbox',
        async () => {
          const { rows } = await ctx.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
          );
          return rows[0]?.n === 0;
        },
        20_000,
      );
    }
    await waitForQueuesIdle([queue], { timeoutMs: 20_000 });
    const { rows } = await ctx.pool.query<{ reference: string }>('SELECT reference FROM kata_orders');
    const lost = rows.filter((row) => !received.has(row.reference)).length;
    return {
      value: lost,
      details: { committedOrders: rows.length, delivered: received.size, writerCrashes: crashes },
    };
  } finally {
    await relay?.stop();
    await worker.close();
    await queue.close();
  }
}

export default defineFinding({
  id: 'lib:outbox-crash-before-publish',
  title: 'A message published after the commit is lost when the process dies in between',
  explanation:
    'Committing the business row and then calling queue.add() in-process leaves a window in which a crash, a deploy or a Redis blip loses the message for good: the row exists, the email or event never leaves. Writing the message into an outbox table in the same transaction makes the two commit together; a relay publishes it afterwards, so a crash only delays it.',
  fix: ['src/outbox-writer.ts', 'src/outbox-relay.ts', 'src/bullmq-publisher.ts'],
  metric: { name: 'messages lost', unit: 'messages', better: 'lower' },
  measure,
  flawed: (lost) => lost > 0,
  remediated: (lost) => lost === 0,
  timeoutMs: 60_000,
});
