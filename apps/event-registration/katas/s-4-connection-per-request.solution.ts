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
export const CONNECTION_PER_QUERY: pg.PoolConfig = {
  // One pool per process, capped well under the server's max_connections (10 of its 40 here) and shared by
  // every request; a caller that finds it exhausted waits at most 1 s for a connection and gets a 503, instead
  // of opening one more or queueing forever.
  max: 10,
  connectionTimeoutMillis: 1_000,
  idleTimeoutMillis: 10_000,
};

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
