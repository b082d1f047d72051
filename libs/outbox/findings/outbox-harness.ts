import pg from 'pg';
import type { PackageHarness } from '@remedy/testing';
import { OUTBOX_COMPLETION_SQL, OUTBOX_SCHEMA_SQL } from '../src/index.js';

/*
 * The business tables the proofs write to. They stand in for an app's own tables, so they live only in
 * the test template, next to the outbox schema an app would get from the migration.
 */
const KATA_TABLES_SQL = `
CREATE TABLE kata_orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE kata_accounts (
  account text PRIMARY KEY,
  balance bigint NOT NULL DEFAULT 0
);
CREATE TABLE kata_credits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id text NOT NULL,
  account text NOT NULL,
  amount bigint NOT NULL
);`;

async function migrate(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(OUTBOX_SCHEMA_SQL);
    await client.query(OUTBOX_COMPLETION_SQL);
    await client.query(KATA_TABLES_SQL);
  } finally {
    await client.end();
  }
}

export const outboxHarness: PackageHarness = { name: 'outbox', migrate };
