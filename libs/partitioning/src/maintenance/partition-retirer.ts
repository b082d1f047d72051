import type pg from 'pg';
import { archiveKey } from '../archive/archive-key.js';
import { verifyPartitionArchive } from '../archive/partition-archive-verifier.js';
import { writePartitionArchive } from '../archive/partition-archive-writer.js';
import {
  readPartitionCatalog,
  type AttachedPartition,
  type ManagedTable,
} from '../catalog/partitioned-table-catalog.js';
import { inTransaction } from '../catalog/in-transaction.js';
import { lockReferencedTables } from '../catalog/referenced-table-locks.js';
import { qualifiedIdentifier } from '../catalog/sql-identifier.js';
import { addIntervals } from '../policy/partition-interval.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';
import { retentionBoundary } from '../policy/retention-boundary.js';
import { detachPartition } from './partition-detacher.js';

export interface RetiredPartition {
  name: string;
  from: Date;
  to: Date;
  rows: number;
  /** Where the verified archive is; undefined when the policy drops without archiving. */
  archiveKey: string | undefined;
  /** An earlier run had detached it (or begun to) and stopped before the drop; this run finished it. */
  resumed: boolean;
}

/**
 * Moves every partition that ends before the retention boundary out of the database, oldest first, in an
 * order that is safe to interrupt anywhere:
 *   detach → archive → read the archive back and verify → drop.
 * A crash before the drop leaves a detached table with a managed name; the next run finds it and resumes
 * from the archive step (re-uploading over any partial object). Nothing is dropped before its archive is verified.
 */
export async function retireExpiredPartitions(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  now: Date,
  log: (line: string) => void,
): Promise<RetiredPartition[]> {
  const catalog = await readPartitionCatalog(client, policy);
  const boundary = retentionBoundary(policy, now);
  const expired = (table: ManagedTable): boolean => table.start < boundary;
  const attached = catalog.attached.filter((partition) => expired(partition) || partition.detachPending);
  const work = [
    ...catalog.detached.filter(expired).map((table) => ({ table, attached: undefined })),
    ...attached.map((partition) => ({ table: partition, attached: partition })),
  ];
  work.sort((a, b) => a.table.start.getTime() - b.table.start.getTime());

  const retired: RetiredPartition[] = [];
  for (const { table, attached: partition } of work) {
    if (partition) await detachPartition(client, policy, partition, catalog.defaultPartition !== undefined);
    if (!expired(table)) continue;
    retired.push(await archiveAndDrop(client, policy, table, isResumed(partition)));
    log(`partitioning: retired ${policy.schema}.${table.name}`);
  }
  return retired;
}

function isResumed(partition: AttachedPartition | undefined): boolean {
  return partition === undefined || partition.detachPending;
}

async function archiveAndDrop(
  client: pg.ClientBase,
  policy: PartitionPolicy,
  table: ManagedTable,
  resumed: boolean,
): Promise<RetiredPartition> {
  const identifier = qualifiedIdentifier(policy.schema, table.name);
  const to = addIntervals(table.start, policy.interval, 1);
  let rows: number;
  let key: string | undefined;
  if (policy.archive) {
    const written = await writePartitionArchive(
      client,
      identifier,
      policy.archive,
      archiveKey(policy, table.name, policy.archive.format),
    );
    await verifyPartitionArchive(policy.archive.store, written);
    rows = written.tableRows;
    key = written.key;
  } else {
    const { rows: counted } = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${identifier}`,
    );
    rows = Number(counted[0]?.count ?? 0);
  }
  await dropTable(client, identifier);
  return { name: table.name, from: table.start, to, rows, archiveKey: key, resumed };
}

/** DROP removes the table's foreign-key triggers from each referenced table under ACCESS EXCLUSIVE: taken first, in one order. */
async function dropTable(client: pg.ClientBase, identifier: string): Promise<void> {
  await inTransaction(client, async () => {
    await lockReferencedTables(client, identifier, 'ACCESS EXCLUSIVE');
    await client.query(`DROP TABLE ${identifier}`);
  });
}
