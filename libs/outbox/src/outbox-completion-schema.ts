/**
 * The consumer's acknowledgement lives next to the row it acknowledges: `completed_at` is set in the same
 * Postgres when the consumer has done its work, so it survives anything the queue's Redis loses. The partial
 * index holds only rows published but not yet completed, the ones the redelivery sweep looks at.
 */
export const OUTBOX_COMPLETION_SQL = `
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS completed_at timestamptz;
CREATE INDEX IF NOT EXISTS outbox_uncompleted_idx ON outbox (published_at)
  WHERE published_at IS NOT NULL AND completed_at IS NULL;
`;

export const OUTBOX_COMPLETION_DROP_SQL = `
DROP INDEX IF EXISTS outbox_uncompleted_idx;
ALTER TABLE outbox DROP COLUMN IF EXISTS completed_at;
`;
