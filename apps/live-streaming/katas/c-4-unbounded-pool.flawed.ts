import { replacePoolKnobs, type PgPoolConfig, type PostgresDataSourceOptions } from '@remedy/pooling';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../src/config.js';
import { buildDataSource } from '../src/database/data-source.factory.js';

/*
 * livestream:C4 — the design sets no pool limits: "connection pooling strategy not specified", so every API
 * instance opens connections as concurrency demands and waits for one as long as it takes. Here that is the
 * service's own DataSource (same entities, driver, application_name and server-side timeouts) with the pool
 * knobs replaced: no cap worth the name and no bound on the wait.
 */
export const UNBOUNDED_POOL: pg.PoolConfig = { max: 100_000, connectionTimeoutMillis: 0 };

/**
 * The DataSource the API would build from `config`, with its pool knobs replaced by `pool`: how a measurement
 * plugs another pool into the service.
 */
export function serviceDataSourceWithPool(
  config: AppConfig,
  pool: (serviceKnobs: PgPoolConfig) => PgPoolConfig,
): DataSource {
  const options = buildDataSource(config.database, { role: 'api' }).options as PostgresDataSourceOptions;
  return new DataSource(replacePoolKnobs(options, pool));
}
