import { queryRows, type SqlExecutor } from './sql-executor.js';

const MARK_COMPLETED_SQL = `UPDATE outbox SET completed_at = now() WHERE id = $1::bigint AND completed_at IS NULL`;

/*
 * Hands rows published longer ago than the visibility timeout and still not completed back to the relay
 * (published_at = NULL), which publishes them again under the same id. SKIP LOCKED: a row a relay or a
 * consumer holds right now is left for the next sweep.
 */
const REDELIVER_SQL = `
WITH stale AS (
  SELECT id FROM outbox
  WHERE published_at IS NOT NULL AND completed_at IS NULL
    AND published_at < now() - $1 * interval '1 millisecond'
  ORDER BY published_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), released AS (
  UPDATE outbox o SET published_at = NULL, available_at = now()
  FROM stale WHERE o.id = stale.id
  RETURNING 1
)
SELECT count(*)::int AS released FROM released`;

/**
 * The consumer's "done" for one outbox message: call it once the work is finished (or deliberately skipped),
 * ideally in the transaction that records the work. Idempotent: a redelivery that acknowledges again is a no-op.
 */
export async function markOutboxCompleted(executor: SqlExecutor, outboxId: string): Promise<void> {
  await executor.query(MARK_COMPLETED_SQL, [outboxId]);
}

/** Whether a consumer already acknowledged the message: lets a redelivery skip work whose Redis mark was lost. */
export async function isOutboxCompleted(executor: SqlExecutor, outboxId: string): Promise<boolean> {
  const rows = await queryRows<{ completed: boolean }>(
    executor,
    'SELECT completed_at IS NOT NULL AS completed FROM outbox WHERE id = $1::bigint',
    [outboxId],
  );
  return rows[0]?.completed ?? false;
}

export interface RedeliveryOptions {
  /** A published row not completed within this long is published again. Longer than the slowest honest delivery (queue wait + retries). */
  visibilityTimeoutMs: number;
  /** Rows released per sweep (default 1000); the next sweep carries on. */
  batchSize?: number;
}

/** Returns how many rows were handed back to the relay. Pass a pool: one autocommit statement. */
export async function releaseUncompletedOutboxRows(
  executor: SqlExecutor,
  options: RedeliveryOptions,
): Promise<number> {
  const [row] = await queryRows<{ released: number }>(executor, REDELIVER_SQL, [
    options.visibilityTimeoutMs,
    options.batchSize ?? 1_000,
  ]);
  return row?.released ?? 0;
}
