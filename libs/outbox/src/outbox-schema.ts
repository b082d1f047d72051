/** The channel the writer notifies in the writing transaction; Postgres delivers it only on commit. */
export const OUTBOX_NOTIFY_CHANNEL = 'outbox_message';

/**
 * `id` is the idempotency key carried to every queue. The partial index holds only unpublished rows, so
 * the relay's claim and the lag probe stay index scans however many published rows wait for cleanup.
 * Every publish rewrites its row (published_at is in the index predicate, so no HOT update): autovacuum is
 * told to visit this table far sooner than the default 20 % of dead rows.
 */
export const OUTBOX_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  published_at timestamptz
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.05);
CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE TABLE IF NOT EXISTS processed_messages (
  consumer text NOT NULL,
  message_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
`;

export const OUTBOX_DROP_SQL = `
DROP TABLE IF EXISTS processed_messages;
DROP TABLE IF EXISTS outbox;
`;
