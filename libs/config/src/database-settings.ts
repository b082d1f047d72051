import type { ConfigReader } from './config-reader.js';
import { readPoolSize } from './pool-size.js';
import { POSTGRES_PROTOCOLS } from './url-protocols.js';

export interface DatabaseSettings {
  url: string;
  applicationName: string;
  /** Per-instance pool size: DB_POOL_MAX when set, else the capacity formula of @remedy/pooling. */
  poolMax: number;
  /** How long a request waits for a pooled connection before a 503 with Retry-After. */
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  idleTimeoutMs: number;
  /** Migrations (and partition maintenance) run DDL over whole tables: a longer timeout of their own. */
  maintenanceStatementTimeoutMs: number;
}

export interface DatabaseDefaults {
  url: string;
  applicationName: string;
  /** 5 s unless the app's callers may queue longer for a connection. */
  connectionTimeoutMs?: number;
  /** 3 s unless the app's requests run longer statements. */
  statementTimeoutMs?: number;
}

/** DATABASE_URL, DB_APPLICATION_NAME, the pool size and the DB_*_TIMEOUT_MS deadlines. */
export function readDatabaseSettings(read: ConfigReader, defaults: DatabaseDefaults): DatabaseSettings {
  return {
    url: read.url('DATABASE_URL', defaults.url, POSTGRES_PROTOCOLS),
    applicationName: read.text('DB_APPLICATION_NAME', defaults.applicationName),
    poolMax: readPoolSize(read),
    connectionTimeoutMs: read.integer(
      'DB_CONNECTION_TIMEOUT_MS',
      defaults.connectionTimeoutMs ?? 5_000,
      50,
      60_000,
    ),
    statementTimeoutMs: read.integer(
      'DB_STATEMENT_TIMEOUT_MS',
      defaults.statementTimeoutMs ?? 3_000,
      100,
      600_000,
    ),
    idleInTransactionTimeoutMs: read.integer('DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 100, 600_000),
    idleTimeoutMs: read.integer('DB_IDLE_TIMEOUT_MS', 10_000, 100, 600_000),
    maintenanceStatementTimeoutMs: read.integer(
      'DB_MAINTENANCE_STATEMENT_TIMEOUT_MS',
      600_000,
      1_000,
      86_400_000,
    ),
  };
}
