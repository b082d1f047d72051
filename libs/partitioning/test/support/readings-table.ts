import type pg from 'pg';
import { definePartitionPolicy, type PartitionPolicy, type PartitionPolicyOptions } from '../../src/index.js';
import { createPartitionedReadingsTable } from '../../findings/readings-schema.js';

let tables = 0;

/** A fresh partitioned readings table (unique within the file's database) and a daily policy for it. */
export async function newReadingsTable(
  pool: pg.Pool,
  overrides: Partial<PartitionPolicyOptions> = {},
): Promise<PartitionPolicy> {
  tables += 1;
  const table = `readings_${tables}`;
  await createPartitionedReadingsTable(pool, table);
  return definePartitionPolicy({
    table,
    column: 'recorded_at',
    interval: 'day',
    premake: 2,
    hotRetention: { days: 3 },
    ...overrides,
  });
}

/** Partitions attached to the table, by name, with whether a concurrent detach is pending. */
export async function attachedPartitions(
  pool: pg.Pool,
  policy: PartitionPolicy,
): Promise<{ name: string; pending: boolean }[]> {
  const { rows } = await pool.query<{ name: string; pending: boolean }>(
    `SELECT c.relname AS name, i.inhdetachpending AS pending
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass ORDER BY c.relname COLLATE "C"`,
    [policy.qualifiedName],
  );
  return rows;
}

export async function tableExists(pool: pg.Pool, name: string): Promise<boolean> {
  const { rows } = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    name,
  ]);
  return rows[0]?.found ?? false;
}

export async function countRows(
  pool: pg.Pool,
  table: string,
  where = 'true',
  values: unknown[] = [],
): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*) AS count FROM ${table} WHERE ${where}`,
    values,
  );
  return Number(rows[0]?.count ?? 0);
}
