import type { Queue } from 'bullmq';
import type pg from 'pg';
import { writeOutboxMessage } from '../src/index.js';

/**
 * Kata (flawed) — the design the reviews criticise (events S-3: confirmation sent from the request path;
 * DESIGN §6 "events emitted in-process inside a transaction with no outbox"). The service commits the
 * business row, then enqueues the message from the same process. Nothing durable records that a message
 * is owed, so a process that dies between the two (a deploy, an OOM kill, a crash) leaves a committed
 * order whose confirmation never exists. `afterCommit` is where that death is injected.
 */
export async function placeOrderThenEnqueue(
  pool: pg.Pool,
  queue: Queue,
  reference: string,
  afterCommit: () => void,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO kata_orders (reference) VALUES ($1)', [reference]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  afterCommit();
  await queue.add('order.placed', { reference });
}

/**
 * Kata (flaw put back) — an outbox, but written after the business commit in a statement of its own
 * (a "save, then record the event" helper). The relay is sound, yet the same window is back: a process
 * that dies between the commit and the outbox insert leaves an order that owes a message no one knows of.
 */
export async function placeOrderThenWriteOutbox(
  pool: pg.Pool,
  reference: string,
  afterCommit: () => void,
): Promise<void> {
  await pool.query('INSERT INTO kata_orders (reference) VALUES ($1)', [reference]);
  afterCommit();
  await writeOutboxMessage(pool, { topic: 'order.placed', payload: { reference } });
}
