import { createDataSource } from '@remedy/pooling';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config.js';
import { APP_MIGRATIONS } from './app-migrations.js';

export interface DataSourceRole {
  /** Pool name in metrics, errors and pg_stat_activity (`<applicationName>-<role>`). */
  role: 'api' | 'worker' | 'maintenance';
  /** Overrides the configured pool size, e.g. one connection for migrations. */
  poolMax?: number;
  statementTimeoutMs?: number;
}

/**
 * The app's DataSource with every pool knob explicit and a server-side statement_timeout: requests get the
 * configured 3 s, migrations a longer one. The app reads and writes with plain SQL (each feature's `*.sql.ts`),
 * so it registers no entities.
 */
export function buildDataSource(config: DatabaseConfig, role: DataSourceRole): DataSource {
  return createDataSource({
    name: `${config.applicationName}-${role.role}`,
    applicationName: `${config.applicationName}-${role.role}`,
    connectionString: config.url,
    max: role.poolMax ?? config.poolMax,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    statementTimeoutMs: role.statementTimeoutMs ?? config.statementTimeoutMs,
    idleInTransactionSessionTimeoutMs: config.idleInTransactionTimeoutMs,
    idleTimeoutMillis: config.idleTimeoutMs,
    entities: [],
    migrations: APP_MIGRATIONS,
  });
}
