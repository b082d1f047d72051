import { archivePrefix, partitionOfArchiveKey } from '../archive/archive-key.js';
import { parsePartitionStart } from '../policy/partition-naming.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';
import { purgeBoundary } from '../policy/retention-boundary.js';

/** Deletes the archives of partitions that ended before now − purgeAfter; returns the deleted keys. */
export async function purgeExpiredArchives(policy: PartitionPolicy, now: Date): Promise<string[]> {
  const boundary = purgeBoundary(policy, now);
  if (!policy.archive || !boundary) return [];
  const { store } = policy.archive;
  const expired = (await store.list(archivePrefix(policy))).filter((key) => {
    const partition = partitionOfArchiveKey(policy, key);
    const start =
      partition === undefined ? undefined : parsePartitionStart(policy.table, partition, policy.interval);
    return start !== undefined && start < boundary;
  });
  for (const key of expired) await store.delete(key);
  return expired;
}
