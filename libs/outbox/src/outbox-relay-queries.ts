import type pg from 'pg';
import type { OutboxHeaders, OutboxRecord } from './outbox-message.js';
import type { PublishFailure } from './queue-publisher.js';
import { queryRows, type SqlExecutor } from './sql-executor.js';

/*
 * FOR UPDATE SKIP LOCKED: a row claimed by one relay's open transaction is invisible to the others, so
 * relays run side by side without claiming a row twice, and a relay that dies releases its rows with its
 * connection. The order follows the partial index on unpublished ids.
 */
const CLAIM_SQL = `
SELECT id::text AS id, topic, payload, headers, attempts, created_at
FROM outbox
WHERE published_at IS NULL AND available_at <= now()
ORDER BY id
LIMIT $1
FOR UPDATE SKIP LOCKED`;

const MARK_PUBLISHED_SQL = `UPDATE outbox SET published_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])`;

const RECORD_FAILURES_SQL = `
UPDATE outbox o
SET attempts = o.attempts + 1,
    last_error = f.error,
    available_at = now() + f.delay_ms * interval '1 millisecond'
FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS f(id, error, delay_ms)
WHERE o.id = f.id`;

/* The lowest unpublished id is the oldest row (identity order), found through the partial index. */
const LAG_SQL = `
SELECT COALESCE(EXTRACT(EPOCH FROM now() - created_at), 0)::float8 AS seconds
FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1`;

const MAX_ERROR_LENGTH = 2_000;

interface ClaimedRow {
  id: string;
  topic: string;
  payload: unknown;
  headers: OutboxHeaders;
  attempts: number;
  created_at: Date;
}

export async function claimBatch(client: pg.PoolClient, limit: number): Promise<OutboxRecord[]> {
  const { rows } = await client.query<ClaimedRow>(CLAIM_SQL, [limit]);
  return rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    payload: row.payload,
    headers: row.headers,
    attempts: row.attempts,
    createdAt: row.created_at,
  }));
}

export async function markPublished(client: pg.PoolClient, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await client.query(MARK_PUBLISHED_SQL, [ids]);
}

export interface ScheduledRetry extends PublishFailure {
  delayMs: number;
}

export async function recordFailures(
  client: pg.PoolClient,
  retries: readonly ScheduledRetry[],
): Promise<void> {
  if (retries.length === 0) return;
  await client.query(RECORD_FAILURES_SQL, [
    retries.map((r) => r.id),
    retries.map((r) => r.error.slice(0, MAX_ERROR_LENGTH)),
    retries.map((r) => r.delayMs),
  ]);
}

/** Age in seconds of the oldest unpublished message (0 when none): the relay's lag, for a gauge or an alert. */
export async function measureOutboxLag(executor: SqlExecutor): Promise<number> {
  const [row] = await queryRows<{ seconds: number }>(executor, LAG_SQL);
  return row?.seconds ?? 0;
}
