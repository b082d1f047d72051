import { createDataSource } from '@remedy/pooling';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import { MIGRATIONS } from '../migrations/index.js';
import { ENTITIES } from './entities.js';

/** The app's DataSource, with the pool sized by the capacity formula (config.database.poolMax). */
export function buildDataSource(config: AppConfig, name = 'medical-vitals'): DataSource {
  return createDataSource({
    name,
    connectionString: config.databaseUrl,
    max: config.database.poolMax,
    min: config.database.poolMin,
    connectionTimeoutMillis: config.database.connectionTimeoutMillis,
    statementTimeoutMs: config.database.statementTimeoutMs,
    idleInTransactionSessionTimeoutMs: config.database.idleInTransactionSessionTimeoutMs,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    ...(config.replicaUrl === undefined ? {} : { replicaUrl: config.replicaUrl }),
  });
}
