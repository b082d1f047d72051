import { PartitionMaintainer } from '@remedy/partitioning';
import { runMigrationsExclusively } from '@remedy/pooling';
import pg from 'pg';
import { historyPartitionPolicy } from '../history/history.policy.js';
import type { DatabaseConfig } from '../config.js';
import { buildDataSource } from './data-source.factory.js';

/**
 * Runs pending migrations on one connection with the maintenance statement timeout, each migration in its
 * own transaction, one process at a time, then makes translation_history's partitions from today through the
 * premake horizon (they depend on the day the database is brought up, not on the migration). Used by
 * `npm run migrate`, the API at start-up and the test harness.
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
    await ensureHistoryPartitions(config.url);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

async function ensureHistoryPartitions(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await new PartitionMaintainer(pool).ensurePartitions(historyPartitionPolicy());
  } finally {
    await pool.end();
  }
}
