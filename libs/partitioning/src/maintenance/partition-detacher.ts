import type pg from 'pg';
import type { AttachedPartition } from '../catalog/partitioned-table-catalog.js';
import { qualifiedIdentifier } from '../catalog/sql-identifier.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';

/**
 * Detaches a partition with the lightest lock PostgreSQL allows for this table:
 * - no default partition: DETACH … CONCURRENTLY (SHARE UPDATE EXCLUSIVE; readers and writers carry on).
 *   If it is interrupted the partition stays "detach pending"; the next run completes it with FINALIZE.
 * - a default partition exists: PostgreSQL refuses CONCURRENTLY, so a plain DETACH takes ACCESS EXCLUSIVE
 *   on the parent for a moment, its wait bounded by the session's lock_timeout.
 * CONCURRENTLY and FINALIZE cannot run inside a transaction block, so each detach is a statement of its own.
 */
export async function detachPartition(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  partition: AttachedPartition,
  hasDefault: boolean,
): Promise<void> {
  const statement = `ALTER TABLE ${qualifiedIdentifier(policy.schema, policy.table)} DETACH PARTITION ${qualifiedIdentifier(policy.schema, partition.name)}`;
  if (partition.detachPending) await client.query(`${statement} FINALIZE`);
  else if (hasDefault) await client.query(statement);
  else await client.query(`${statement} CONCURRENTLY`);
}
