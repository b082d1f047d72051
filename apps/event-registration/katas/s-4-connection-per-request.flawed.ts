import { replacePoolKnobs, type PgPoolConfig, type PostgresDataSourceOptions } from '@remedy/pooling';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../src/config.js';
import { buildDataSource } from '../src/database/data-source.factory.js';

/*
 * events:S-4 — the reviewed stack (Section 2) names PostgreSQL but no connection pooling: "each API request
 * may open new connection without pooling". Here that is the service's own DataSource (same entities,
 * driver, application_name and server-side timeouts) with the pool replaced: every statement gets a new
 * connection, closed after that one use, and nothing bounds how many are open at once.
 */
export const CONNECTION_PER_QUERY: pg.PoolConfig = { max: 100_000, maxUses: 1, idleTimeoutMillis: 1 };

/**
 * The DataSource the API would build from `config`, with its pool knobs replaced by `pool` (the server-side
 * statement and idle-in-transaction timeouts stay): how a measurement plugs another pool into the service.
 */
export function serviceDataSourceWithPool(
  config: AppConfig,
  pool: (serviceKnobs: PgPoolConfig) => PgPoolConfig,
): DataSource {
  const options = buildDataSource(config.database, { role: 'api' }).options as PostgresDataSourceOptions;
  return new DataSource(replacePoolKnobs(options, pool));
}
