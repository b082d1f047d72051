import { runMigrationsExclusively } from '@remedy/pooling';
import type { DatabaseConfig } from '../config.js';
import { buildDataSource } from './data-source.factory.js';

/**
 * Runs pending migrations on one connection with the maintenance statement timeout, each migration in its
 * own transaction, one process at a time. Used by `npm run migrate`, the API at start-up and the test harness.
 */
export async function migrateDatabase(config: DatabaseConfig): Promise<string[]> {
  const dataSource = buildDataSource(config, {
    role: 'maintenance',
    poolMax: 1,
    statementTimeoutMs: config.maintenanceStatementTimeoutMs,
  });
  await dataSource.initialize();
  try {
    const applied = await runMigrationsExclusively(dataSource, config.url);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
