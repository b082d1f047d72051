import type pg from 'pg';
import { waitUntil } from '@remedy/testing';

export interface HeldRowLock {
  /** Commits the holding transaction: every statement waiting on the lock goes on. */
  release(): Promise<void>;
}

/**
 * Locks one row FOR UPDATE in a transaction of the test's own, so a proof can let N requests pile up on it and
 * then release them together: an explicit hold instead of hoping two requests overlap. Plain reads pass it
 * (MVCC); writes to the row, and inserts whose foreign key points at it, wait.
 */
export async function holdRowLock(pool: pg.Pool, table: string, id: string): Promise<HeldRowLock> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
  } catch (error) {
    client.release();
    throw error;
  }
  return {
    async release() {
      try {
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  };
}

/** Waits until `count` backends of the app's pool (by application_name) in this database wait on a lock. */
export async function waitForLockWaiters(
  pool: pg.Pool,
  applicationName: string,
  count: number,
): Promise<void> {
  await waitUntil(
    `${count} statements of ${applicationName} waiting on a lock`,
    async () => {
      const { rows } = await pool.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
        [applicationName],
      );
      return (rows[0]?.waiting ?? 0) >= count;
    },
    30_000,
  );
}
