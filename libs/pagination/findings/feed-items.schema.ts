import pg from 'pg';

/**
 * The list the pagination proofs and tests walk: a newest-first feed. Every sort column is NOT NULL
 * and `id` is the unique tie-breaker; each index matches one sort exactly, column for column.
 */
const FEED_ITEMS_SCHEMA = `
  CREATE TABLE feed_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    score      integer NOT NULL DEFAULT 0,
    author     text NOT NULL,
    body       text NOT NULL
  );
  CREATE INDEX feed_items_newest_idx ON feed_items (created_at DESC, id DESC);
  CREATE INDEX feed_items_top_idx ON feed_items (score DESC, id ASC);
`;

export async function migrateFeedItems(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(FEED_ITEMS_SCHEMA);
  } finally {
    await client.end();
  }
}
