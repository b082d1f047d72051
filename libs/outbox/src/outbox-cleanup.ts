import { queryRows, type SqlExecutor } from './sql-executor.js';

export interface OutboxCleanupOptions {
  /** Completed rows older than this are deleted. Keep it past any window in which you may replay or audit. */
  olderThanMs: number;
  /** Rows per DELETE statement (default 5000): short transactions, short locks, bounded WAL bursts. */
  batchSize?: number;
  /** Stop after this many statements (default unbounded); the next run carries on. */
  maxBatches?: number;
}

/*
 * Walks the primary key from the oldest id: completed rows are the old ones, so each batch is found at the
 * head of the index without an index of its own on completed_at. Rows published but not completed are the
 * redelivery sweep's to publish again, so only the consumer's acknowledgement makes a row deletable.
 */
const DELETE_BATCH_SQL = `
WITH doomed AS (
  SELECT id FROM outbox
  WHERE completed_at IS NOT NULL AND completed_at < now() - $1 * interval '1 millisecond'
  ORDER BY id
  LIMIT $2
), deleted AS (
  DELETE FROM outbox o USING doomed WHERE o.id = doomed.id RETURNING 1
)
SELECT count(*)::int AS deleted FROM deleted`;

/**
 * Deletes completed rows in batches, each its own statement, so pass a pool (autocommit), not a client
 * inside a long transaction. Returns the number of rows deleted.
 */
export async function deleteCompletedOutboxRows(
  executor: SqlExecutor,
  options: OutboxCleanupOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? 5_000;
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const [row] = await queryRows<{ deleted: number }>(executor, DELETE_BATCH_SQL, [
      options.olderThanMs,
      batchSize,
    ]);
    const deleted = row?.deleted ?? 0;
    total += deleted;
    if (deleted < batchSize) break;
  }
  return total;
}
