import type pg from 'pg';
import { inTransaction } from '../catalog/in-transaction.js';
import type { AttachedPartition } from '../catalog/partitioned-table-catalog.js';
import { lockReferencedTables } from '../catalog/referenced-table-locks.js';
import { qualifiedIdentifier } from '../catalog/sql-identifier.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';

/**
 * Detaches a partition with the lightest lock PostgreSQL allows for this table:
 * - no default partition: DETACH … CONCURRENTLY (SHARE UPDATE EXCLUSIVE; readers and writers carry on).
 *   If it is interrupted the partition stays "detach pending"; the next run completes it with FINALIZE.
 * - a default partition exists: PostgreSQL refuses CONCURRENTLY, so a plain DETACH takes ACCESS EXCLUSIVE
 *   on the parent for a moment, its wait bounded by the session's lock_timeout.
 * CONCURRENTLY cannot run inside a transaction block, so it is a statement of its own. The plain DETACH and
 * FINALIZE rewrite the partition's foreign keys, so they run in a transaction that first locks the tables
 * those keys reference, in the order writers take them (see referenced-table-locks.ts).
 */
export async function detachPartition(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  partition: AttachedPartition,
  hasDefault: boolean,
): Promise<void> {
  const parent = qualifiedIdentifier(policy.schema, policy.table);
  const statement = `ALTER TABLE ${parent} DETACH PARTITION ${qualifiedIdentifier(policy.schema, partition.name)}`;
  if (!partition.detachPending && !hasDefault) {
    await client.query(`${statement} CONCURRENTLY`);
    return;
  }
  await inTransaction(client, async () => {
    await lockReferencedTables(client, parent, 'SHARE ROW EXCLUSIVE');
    await client.query(partition.detachPending ? `${statement} FINALIZE` : statement);
  });
}
