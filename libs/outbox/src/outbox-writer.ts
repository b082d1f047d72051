import { randomUUID } from 'node:crypto';
import { CORRELATION_ID_HEADER, type OutboxMessageInput } from './outbox-message.js';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-schema.js';
import { queryRows, type SqlExecutor } from './sql-executor.js';

export interface WriteOutboxOptions {
  /**
   * Queue a NOTIFY for listening relays (default true). Postgres serialises the commits of notifying
   * transactions on one lock, so past a few thousand commits/s turn it off and give the relays a short
   * poll interval instead (README, "Waking the relay").
   */
  notify?: boolean;
}

/*
 * One statement inserts the rows and queues the NOTIFY, so both belong to the caller's transaction:
 * a rollback leaves neither, and relays are only woken once the rows are visible to them. Postgres folds
 * identical notifications of one transaction into one, so a burst of writes wakes a relay once.
 */
const INSERT_SQL = `
WITH inserted AS (
  INSERT INTO outbox (topic, payload, headers)
  SELECT topic, payload, headers FROM unnest($1::text[], $2::jsonb[], $3::jsonb[]) AS m(topic, payload, headers)
  RETURNING id
)
SELECT (SELECT array_agg(id::text ORDER BY id) FROM inserted) AS ids,
       CASE WHEN $4::text IS NOT NULL THEN pg_notify($4, '') END AS notified`;

/**
 * Writes messages through the caller's executor, which must be inside the transaction that makes the
 * business change: that is the whole point. Returns the outbox ids in input order.
 */
export async function writeOutboxMessages(
  executor: SqlExecutor,
  messages: readonly OutboxMessageInput[],
  options: WriteOutboxOptions = {},
): Promise<string[]> {
  if (messages.length === 0) return [];
  const topics = messages.map((m) => m.topic);
  const payloads = messages.map((m) => JSON.stringify(m.payload ?? null));
  const headers = messages.map((m) =>
    JSON.stringify({ [CORRELATION_ID_HEADER]: randomUUID(), ...m.headers }),
  );
  const channel = options.notify === false ? null : OUTBOX_NOTIFY_CHANNEL;
  const [row] = await queryRows<{ ids: string[] }>(executor, INSERT_SQL, [
    topics,
    payloads,
    headers,
    channel,
  ]);
  if (!row) throw new Error('outbox insert returned no row');
  return row.ids;
}

export async function writeOutboxMessage(
  executor: SqlExecutor,
  message: OutboxMessageInput,
  options: WriteOutboxOptions = {},
): Promise<string> {
  const [id] = await writeOutboxMessages(executor, [message], options);
  if (id === undefined) throw new Error('outbox insert returned no id');
  return id;
}
