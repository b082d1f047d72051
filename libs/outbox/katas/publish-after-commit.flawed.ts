import type { Queue } from 'bullmq';
import type pg from 'pg';

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
