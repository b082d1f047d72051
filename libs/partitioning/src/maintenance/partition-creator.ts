import type pg from 'pg';
import { inTransaction } from '../catalog/in-transaction.js';
import { lockReferencedTables } from '../catalog/referenced-table-locks.js';
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
 * transaction; otherwise the attach would fail on them. The tables the parent's foreign keys reference are
 * locked first, so the attach takes its locks in the same order as writers do (see referenced-table-locks.ts).
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
  return inTransaction(client, async () => {
    await lockReferencedTables(client, parent, 'SHARE ROW EXCLUSIVE');
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
    return { name, from: start, to: end, rowsMovedFromDefault: moved?.rowCount ?? 0 };
  });
}

/** PARTITION OF clones the parent's foreign keys too, so it takes the same lock order as an attach. */
export async function createDefaultPartition(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  name: string,
): Promise<void> {
  const parent = qualifiedIdentifier(policy.schema, policy.table);
  await inTransaction(client, async () => {
    await lockReferencedTables(client, parent, 'SHARE ROW EXCLUSIVE');
    await client.query(
      `CREATE TABLE ${qualifiedIdentifier(policy.schema, name)} PARTITION OF ${parent} DEFAULT`,
    );
  });
}
