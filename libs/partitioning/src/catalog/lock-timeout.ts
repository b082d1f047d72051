import type pg from 'pg';

/**
 * Bounds every lock wait of `work`: DDL on a busy parent queues behind running queries, and new queries
 * queue behind it, so an unbounded wait would stall ingest. A timed-out step fails and the next run retries.
 */
export async function withLockTimeout<T>(
  client: pg.ClientBase,
  milliseconds: number,
  work: () => Promise<T>,
): Promise<T> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(milliseconds))}`);
  try {
    return await work();
  } finally {
    await client.query('RESET lock_timeout');
  }
}
