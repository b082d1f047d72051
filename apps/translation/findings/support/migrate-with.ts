import { createDataSource, runMigrationsExclusively } from '@remedy/pooling';
import type { FindingContext } from '@remedy/testing';
import type { MigrationInterface } from 'typeorm';
import { APP_MIGRATIONS } from '../../src/database/app-migrations.js';

/**
 * Applies kata migrations after the app's own on the context's database (built from the template, so only the
 * kata ones run): how a proof turns the schema back into the review's before booting the real app on it.
 */
export async function migrateWith(
  ctx: FindingContext,
  extra: readonly (new () => MigrationInterface)[],
): Promise<void> {
  if (extra.length === 0) return;
  const dataSource = createDataSource({
    name: 'translation-kata-migrations',
    connectionString: ctx.databaseUrl,
    max: 1,
    connectionTimeoutMillis: 10_000,
    statementTimeoutMs: 60_000,
    idleInTransactionSessionTimeoutMs: 60_000,
    entities: [],
    migrations: [...APP_MIGRATIONS, ...extra],
  });
  await dataSource.initialize();
  try {
    await runMigrationsExclusively(dataSource, ctx.databaseUrl);
  } finally {
    await dataSource.destroy();
  }
}
