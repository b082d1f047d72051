import type pg from 'pg';

export type ReferencedTableLockMode = 'SHARE ROW EXCLUSIVE' | 'ACCESS EXCLUSIVE';

/*
 * DDL on a table with foreign keys also locks every table those keys reference, but only late: ATTACH and
 * DETACH take SHARE ROW EXCLUSIVE on them (to clone or rewrite the keys' triggers) after they already hold
 * ACCESS EXCLUSIVE on a partition, and DROP takes ACCESS EXCLUSIVE on them one by one. A writer goes the
 * other way round: ROW EXCLUSIVE on the referenced table (e.g. UPDATE events), then the partition its row is
 * routed to, then a key check on the other referenced tables. The two orders deadlock (SQLSTATE 40P01).
 * Locking the referenced tables first, in one statement and in oid order, before the DDL touches anything
 * else, gives every session the same order: the DDL waits for in-flight writers (bounded by lock_timeout)
 * and new writers wait for the short DDL. Call it first in the DDL's transaction; locks last until its end.
 */
export async function lockReferencedTables(
  client: pg.ClientBase,
  table: string,
  mode: ReferencedTableLockMode,
): Promise<void> {
  const { rows } = await client.query<{ referenced: string }>(
    `SELECT confrelid::regclass::text AS referenced
       FROM pg_constraint
      WHERE conrelid = to_regclass($1) AND contype = 'f'
      GROUP BY confrelid
      ORDER BY confrelid`,
    [table],
  );
  if (rows.length === 0) return;
  await client.query(`LOCK TABLE ${rows.map((row) => row.referenced).join(', ')} IN ${mode} MODE`);
}
