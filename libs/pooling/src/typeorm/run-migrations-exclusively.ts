import pg from 'pg';
import type { DataSource, Migration } from 'typeorm';

// One key for every app: two apps never share a database, and one key keeps the lock easy to find in pg_locks.
const MIGRATION_LOCK_KEY = 'remedy:migrations';

/**
 * Runs `dataSource`'s pending migrations, each in its own transaction, while holding a session advisory lock
 * on a connection of its own. TypeORM takes no lock, so two processes starting together (two API instances,
 * an API and its worker) would both apply the same migration and one would fail half-way; with the lock the
 * second waits, then finds nothing left to run. The lock's connection is separate because a migration
 * DataSource may have a single connection.
 */
export async function runMigrationsExclusively(
  dataSource: DataSource,
  connectionString: string,
): Promise<Migration[]> {
  const lock = new pg.Client({ connectionString, application_name: 'migration-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    // Ending the session releases the lock even if the unlock below never reaches the server.
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
