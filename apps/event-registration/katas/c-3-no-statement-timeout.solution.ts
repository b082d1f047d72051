import type { PostgresDataSourceOptions } from '@remedy/pooling';
import type pg from 'pg';
import { DataSource } from 'typeorm';

/*
 * The reviewed design sets no query limits (Section 7.1: "No database query time limits") and no pool
 * configuration: the pool behind the DataSource gets pg's defaults, so statement_timeout is 0 (never) and a
 * runaway query keeps its connection, and its locks, until it finishes however long that takes.
 *
 * Built from the app's own DataSource options (same entities, same instrumented driver, so the rest of the
 * service runs unchanged) with the pool knobs the remedy adds taken away.
 */
export function unconfiguredDataSource(appOptions: PostgresDataSourceOptions): DataSource {
  // The server-side timeouts the app configures (DB_STATEMENT_TIMEOUT_MS, 5 s in production) go to every pooled
  // session as startup parameters: the server cancels a runaway statement, and a transaction left idle, and
  // frees its connection and locks, whatever the client does meanwhile.
  const { statement_timeout, idle_in_transaction_session_timeout } = appOptions.extra as pg.PoolConfig;
  return new DataSource({ ...appOptions, extra: { statement_timeout, idle_in_transaction_session_timeout } });
}
