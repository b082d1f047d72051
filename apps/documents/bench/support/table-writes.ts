import type pg from 'pg';

/** Rows written per table of the app (inserted, updated, deleted), as PostgreSQL's statistics counted them. */
export type TableWrites = Record<string, number>;

/**
 * What the service wrote, read from pg_stat_user_tables: counted by the server for every statement that
 * committed, whatever the client. A backend reports its counts when it goes idle (at most about a second
 * later) or exits, so read after the writers stopped.
 */
export async function tableWrites(pool: pg.Pool): Promise<TableWrites> {
  const { rows } = await pool.query<{ relname: string; writes: string }>(
    `SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_user_tables ORDER BY relname`,
  );
  return Object.fromEntries(rows.map((row) => [row.relname, Number(row.writes)]));
}

/** The rows written between two readings, per table that had any. */
export function writesBetween(before: TableWrites, after: TableWrites): TableWrites {
  const written: TableWrites = {};
  for (const [table, count] of Object.entries(after)) {
    const delta = count - (before[table] ?? 0);
    if (delta > 0) written[table] = delta;
  }
  return written;
}
