import pg from 'pg';
import { OUTBOX_COMPLETION_SQL } from './outbox-completion-schema.js';
import { OUTBOX_SCHEMA_SQL } from './outbox-schema.js';

const FULL_SCHEMA_SQL = OUTBOX_SCHEMA_SQL + OUTBOX_COMPLETION_SQL;

/** Creates the outbox tables (idempotent) for apps and tests that do not run TypeORM migrations. */
export async function installOutboxSchema(target: pg.Pool | string): Promise<void> {
  if (typeof target !== 'string') {
    await target.query(FULL_SCHEMA_SQL);
    return;
  }
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(FULL_SCHEMA_SQL);
  } finally {
    await client.end();
  }
}
