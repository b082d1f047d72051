import { Queue, Worker, type Job } from 'bullmq';
import type pg from 'pg';
import {
  defineFinding,
  waitForQueuesIdle,
  waitUntil,
  type FindingContext,
  type Measurement,
} from '@remedy/testing';
import { MarkBeforePublishRelay } from '../katas/mark-before-publish-relay.flawed.js';
import { placeOrderThenEnqueue, placeOrderThenWriteOutbox } from '../katas/publish-after-commit.flawed.js';
import {
  BullMqPublisher,
  OutboxRelay,
  writeOutboxMessage,
  type OutboxRecord,
  type PublishReport,
  type QueuePublisher,
} from '../src/index.js';
import { bullMqConnection } from './support/bullmq-connection.js';

const ORDERS = 50;
const CRASH_EVERY = 5;
const BATCH_SIZE = 20;

class SimulatedCrash extends Error {}

/** The kata enqueues `{ reference }`; the relay delivers an `OutboxEnvelope` whose payload holds it. */
interface OrderJob {
  reference?: string;
  payload?: { reference: string };
}

/** How the request path places an order: the seam. `afterCommit` is where the process dies. */
type PlaceOrder = (pool: pg.Pool, queue: Queue, reference: string, afterCommit: () => void) => Promise<void>;

/* The remediated request path: the order and its message commit together; delivery is the relay's job. */
const placeOrderWithOutbox: PlaceOrder = async (pool, _queue, reference, afterCommit) => {
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
};

/** Redis blips once: the relay's first publish call fails, as a failover or a network cut would make it. */
class BlipOncePublisher implements QueuePublisher {
  private blipped = false;

  constructor(private readonly inner: QueuePublisher) {}

  publish(records: readonly OutboxRecord[]): Promise<PublishReport> {
    if (this.blipped) return this.inner.publish(records);
    this.blipped = true;
    return Promise.reject(new Error('Connection is closed.'));
  }
}

type PutBack = 'outbox written after the commit' | 'mark before publish';

interface Design {
  placeOrder: PlaceOrder;
  relay: 'outbox-relay' | 'mark-before-publish';
}

const DESIGNS: Record<'flawed' | 'remediated' | PutBack, Design> = {
  flawed: {
    placeOrder: (pool, queue, reference, afterCommit) =>
      placeOrderThenEnqueue(pool, queue, reference, afterCommit),
    relay: 'outbox-relay',
  },
  remediated: { placeOrder: placeOrderWithOutbox, relay: 'outbox-relay' },
  'outbox written after the commit': {
    placeOrder: (pool, _queue, reference, afterCommit) =>
      placeOrderThenWriteOutbox(pool, reference, afterCommit),
    relay: 'outbox-relay',
  },
  'mark before publish': { placeOrder: placeOrderWithOutbox, relay: 'mark-before-publish' },
};

async function unpublished(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  return rows[0]?.n ?? 0;
}

async function measure(run: keyof typeof DESIGNS, ctx: FindingContext): Promise<Measurement> {
  const design = DESIGNS[run];
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
  const publisher = new BlipOncePublisher(new BullMqPublisher({ queue }));
  const relay =
    design.relay === 'mark-before-publish'
      ? new MarkBeforePublishRelay(ctx.pool, publisher, BATCH_SIZE)
      : new OutboxRelay({
          pool: ctx.pool,
          publisher,
          batchSize: BATCH_SIZE,
          listen: false,
          retry: { baseDelayMs: 50, maxDelayMs: 1_000 },
          onError: () => undefined,
        });
  try {
    let crashes = 0;
    for (let i = 1; i <= ORDERS; i += 1) {
      const dies = i % CRASH_EVERY === 0;
      const afterCommit = (): void => {
        if (dies) throw new SimulatedCrash(`process died after committing order-${i}`);
      };
      try {
        await design.placeOrder(ctx.pool, queue, `order-${i}`, afterCommit);
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashes += 1;
      }
    }
    ctx.log(`${run}: ${ORDERS} orders written, ${crashes} writers died after commit`);
    // The relay drains whatever the outbox holds (nothing on the flawed path), through one Redis blip.
    await waitUntil(
      'the relay to drain the outbox',
      async () => {
        // A failed batch is the relay's to handle; the kata's throws once it has marked the rows.
        await relay.processBatch().catch(() => undefined);
        return (await unpublished(ctx.pool)) === 0;
      },
      20_000,
    );
    await waitForQueuesIdle([queue], { timeoutMs: 20_000 });
    const { rows } = await ctx.pool.query<{ reference: string }>('SELECT reference FROM kata_orders');
    const lost = rows.filter((row) => !received.has(row.reference)).length;
    return {
      value: lost,
      details: { committedOrders: rows.length, delivered: received.size, writerCrashes: crashes },
    };
  } finally {
    await worker.close();
    await queue.close();
  }
}

export default defineFinding({
  id: 'lib:outbox-crash-before-publish',
  title: 'A message published after the commit is lost when the process dies in between',
  explanation:
    'Committing the business row and then calling queue.add() in-process leaves a window in which a crash, a deploy or a Redis blip loses the message for good: the row exists, the email or event never leaves. Writing the message into an outbox table in the same transaction makes the two commit together; a relay publishes it afterwards and marks it only once the queue accepted it, so a crash or a failed publish only delays it. Every run places 50 orders with a process death after every fifth commit, and the relay meets one Redis blip.',
  fix: ['src/outbox-writer.ts', 'src/outbox-relay.ts', 'src/bullmq-publisher.ts'],
  metric: { name: 'messages lost', unit: 'messages', better: 'lower' },
  seam: 'the request path that places an order (same orders, same deaths after commit, same relay, queue and consumer) ← katas/publish-after-commit.flawed.ts placeOrderThenEnqueue',
  flawsPutBack: {
    'outbox written after the commit':
      'an outbox and its relay, but the outbox row is inserted in its own statement after the order commits (katas/publish-after-commit.flawed.ts placeOrderThenWriteOutbox)',
    'mark before publish':
      'the outbox written in the transaction, but relayed by katas/mark-before-publish-relay.flawed.ts, which marks a batch published before the queue confirmed it, so the batch hit by the Redis blip is never retried',
  } satisfies Record<PutBack, string>,
  measure,
  flawed: (lost) => lost > 0,
  remediated: (lost) => lost === 0,
  timeoutMs: 60_000,
});
