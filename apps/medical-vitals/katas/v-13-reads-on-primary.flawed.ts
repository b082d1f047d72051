import { createPgPool, type PgPool } from '@remedy/pooling';
import type { AppConfig } from '../src/config.js';
import { READER_APPLICATION_NAME, REPORTS_APPLICATION_NAME } from '../src/read-replica/reader-pools.js';

/**
 * The reviewed design's read routing (vitals review §6: "The design mentions データベースリードレプリカ … but
 * doesn't specify query routing strategy. Dashboard queries hitting primary will bottleneck writes"): the
 * pools the dashboards and reports read through are built on the primary's URL, whatever replica exists.
 */
export function readerPoolOnPrimary(config: AppConfig): PgPool {
  return createPgPool({
    name: READER_APPLICATION_NAME,
    connectionString: config.databaseUrl,
    max: config.database.poolMax,
    connectionTimeoutMillis: config.database.connectionTimeoutMillis,
    statementTimeoutMs: config.database.statementTimeoutMs,
    idleInTransactionSessionTimeoutMs: config.database.idleInTransactionSessionTimeoutMs,
  });
}

export function reportsPoolOnPrimary(config: AppConfig): PgPool {
  return createPgPool({
    name: REPORTS_APPLICATION_NAME,
    connectionString: config.databaseUrl,
    max: config.dashboards.reportPoolMax,
    connectionTimeoutMillis: config.database.connectionTimeoutMillis,
    statementTimeoutMs: config.dashboards.reportStatementTimeoutMs,
    idleInTransactionSessionTimeoutMs: config.dashboards.reportStatementTimeoutMs,
  });
}
