import pg from 'pg';
import { OUTBOX_SCHEMA_SQL } from './outbox-schema.js';

/** Creates the outbox tables (idempotent) for apps and tests that do not run TypeORM migrations. */
export async function installOutboxSchema(target: pg.Pool | string): Promise<void> {
  if (typeof target !== 'string') {
    await target.query(OUTBOX_SCHEMA_SQL);
    return;
  }
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(OUTBOX_SCHEMA_SQL);
  } finally {
    await client.end();
  }
}
