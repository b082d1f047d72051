import { createPgPool, type PgPool } from '@remedy/pooling';
import type { AppConfig } from '../config.js';

/** application_name of the reader pool: how pg_stat_activity (and the V-13 proof) tells replica reads apart. */
export const READER_APPLICATION_NAME = 'medical-vitals-reader';
export const REPORTS_APPLICATION_NAME = 'medical-vitals-reports';

function replicaOrPrimary(config: AppConfig): string {
  return config.replicaUrl ?? config.databaseUrl;
}

/** Dashboard reads: same sizing and timeouts as the primary pool, pointed at the replica. */
export function createReaderPool(config: AppConfig): PgPool {
  return createPgPool({
    name: READER_APPLICATION_NAME,
    applicationName: READER_APPLICATION_NAME,
    connectionString: replicaOrPrimary(config),
    max: config.database.poolMax,
    connectionTimeoutMillis: config.database.connectionTimeoutMillis,
    statementTimeoutMs: config.database.statementTimeoutMs,
    idleInTransactionSessionTimeoutMs: config.database.idleInTransactionSessionTimeoutMs,
  });
}

/**
 * Reports stream a cursor for as long as the client reads, so they get their own few connections with a
 * long statement timeout; a burst of report downloads can then never take the dashboards' connections.
 */
export function createReportsPool(config: AppConfig): PgPool {
  return createPgPool({
    name: REPORTS_APPLICATION_NAME,
    applicationName: REPORTS_APPLICATION_NAME,
    connectionString: replicaOrPrimary(config),
    max: config.dashboards.reportPoolMax,
    connectionTimeoutMillis: config.database.connectionTimeoutMillis,
    statementTimeoutMs: config.dashboards.reportStatementTimeoutMs,
    idleInTransactionSessionTimeoutMs: config.dashboards.reportStatementTimeoutMs,
  });
}
