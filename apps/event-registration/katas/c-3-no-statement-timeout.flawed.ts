import type { PostgresDataSourceOptions } from '@remedy/pooling';
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
  return new DataSource({ ...appOptions, extra: {} });
}
