import type pg from 'pg';

/**
 * A test's hold on `document_updates`: every append (a window's insert) waits on the table's lock until `release`,
 * while reads go on. Tests keep a window's write in flight this way for as long as they need it, instead of racing
 * its timer.
 */
export class HeldAppends {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly holder: pg.PoolClient,
  ) {}

  static async hold(pool: pg.Pool): Promise<HeldAppends> {
    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE document_updates IN EXCLUSIVE MODE');
    return new HeldAppends(pool, holder);
  }

  /** The backends of the appends waiting on the lock now. */
  async waiting(): Promise<number[]> {
    const { rows } = await this.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO document_updates%'`,
    );
    return rows.map(({ pid }) => pid);
  }

  async release(): Promise<void> {
    await this.holder.query('ROLLBACK');
    this.holder.release();
  }
}
