import pg from 'pg';
import type { PackageHarness } from '@remedy/testing';
import { REFRESH_TOKEN_SCHEMA_SQL } from '../../src/index.js';

async function migrate(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(REFRESH_TOKEN_SCHEMA_SQL);
  } finally {
    await client.end();
  }
}

export const authHarness: PackageHarness = { name: 'auth', migrate };
