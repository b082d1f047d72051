import type pg from 'pg';
import { qualifiedIdentifier, quoteIdentifier } from '../catalog/sql-identifier.js';
import { addIntervals } from '../policy/partition-interval.js';
import { partitionName } from '../policy/partition-naming.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';

export interface CreatedPartition {
  name: string;
  from: Date;
  to: Date;
  /** Rows that had landed in the default partition for this range and were moved into the new partition. */
  rowsMovedFromDefault: number;
}

/**
 * Creates one partition. Built as a plain table and then attached, because ATTACH PARTITION takes only
 * SHARE UPDATE EXCLUSIVE on the parent where CREATE TABLE … PARTITION OF takes ACCESS EXCLUSIVE, which
 * would stall every writer. Rows of this range already in the default partition move in the same
 * transaction; otherwise the attach would fail on them.
 */
export async function createPartition(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  start: Date,
  defaultPartition: string | undefined,
): Promise<CreatedPartition> {
  const name = partitionName(policy.table, start);
  const end = addIntervals(start, policy.interval, 1);
  const parent = qualifiedIdentifier(policy.schema, policy.table);
  const child = qualifiedIdentifier(policy.schema, name);
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE TABLE ${child} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`,
    );
    const moved = defaultPartition
      ? await client.query(
          `WITH moved AS (DELETE FROM ${qualifiedIdentifier(policy.schema, defaultPartition)} WHERE ${quoteIdentifier(policy.column)} >= $1 AND ${quoteIdentifier(policy.column)} < $2 RETURNING *)
           INSERT INTO ${child} SELECT * FROM moved`,
          [start.toISOString(), end.toISOString()],
        )
      : undefined;
    await client.query(
      `ALTER TABLE ${parent} ATTACH PARTITION ${child} FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
    );
    await client.query('COMMIT');
    return { name, from: start, to: end, rowsMovedFromDefault: moved?.rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function createDefaultPartition(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  name: string,
): Promise<void> {
  await client.query(
    `CREATE TABLE ${qualifiedIdentifier(policy.schema, name)} PARTITION OF ${qualifiedIdentifier(policy.schema, policy.table)} DEFAULT`,
  );
}
