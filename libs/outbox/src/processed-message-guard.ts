import { queryRows, type SqlExecutor } from './sql-executor.js';

export type RunOnceResult<T> = { applied: true; value: T } | { applied: false };

const MARK_SQL = `
INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2)
ON CONFLICT (consumer, message_id) DO NOTHING
RETURNING 1 AS marked`;

/**
 * For a caller already inside a transaction (e.g. TypeORM `manager.transaction`): records the message as
 * processed by this consumer and says whether this is the first time. Apply the effect only on `true`, in
 * the same transaction. A concurrent redelivery waits on the primary key until this transaction ends, then
 * sees the row (skip) or, after a rollback, takes over.
 */
export async function markMessageProcessed(
  executor: SqlExecutor,
  consumer: string,
  messageId: string,
): Promise<boolean> {
  const rows = await queryRows<{ marked: number }>(executor, MARK_SQL, [consumer, messageId]);
  return rows.length > 0;
}

/**
 * Applies `effect` at most once per (consumer, messageId), however often the queue delivers the message:
 * the mark and the effect commit together or not at all. `client` must be a dedicated connection (a
 * `pg.PoolClient` or a TypeORM `QueryRunner`), not a pool, since BEGIN and COMMIT must reach one session.
 */
export async function runOnce<T>(
  client: SqlExecutor,
  consumer: string,
  messageId: string,
  effect: (tx: SqlExecutor) => Promise<T>,
): Promise<RunOnceResult<T>> {
  await client.query('BEGIN');
  try {
    if (!(await markMessageProcessed(client, consumer, messageId))) {
      await client.query('ROLLBACK');
      return { applied: false };
    }
    const value = await effect(client);
    await client.query('COMMIT');
    return { applied: true, value };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
