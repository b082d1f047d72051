import { PartitionMaintainer } from '@remedy/partitioning';
import { runMigrationsExclusively } from '@remedy/pooling';
import pg from 'pg';
import type { AppConfig } from '../config.js';
import { vitalDataPolicy } from '../lifecycle/vital-data.policy.js';
import { buildDataSource } from './data-source.factory.js';

/**
 * Runs pending migrations, then premakes vital_data partitions from the late-reading window through the
 * premake horizon (migrations create only the parent table; its partitions depend on the date the database
 * is brought up).
 */
export async function runMigrations(
  config: AppConfig,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const dataSource = buildDataSource(config, 'medical-vitals-migrations');
  await dataSource.initialize();
  try {
    const applied = await runMigrationsExclusively(dataSource, config.databaseUrl);
    for (const migration of applied) log(`migration ${migration.name} applied`);
  } finally {
    await dataSource.destroy();
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
  try {
    const report = await new PartitionMaintainer(pool, { log }).ensurePartitions(
      vitalDataPolicy(config.lifecycle),
    );
    log(`vital_data: ${report.created.length} partitions created`);
  } finally {
    await pool.end();
  }
}
