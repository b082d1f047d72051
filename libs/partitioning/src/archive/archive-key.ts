import type { PartitionPolicy } from '../policy/partition-policy.js';
import { archiveExtension, archiveFormatOfKey, type ArchiveFormat } from './archive-format.js';

/** `schema.table/` — every archive of one policy's table lives under it. */
export function archivePrefix(policy: PartitionPolicy): string {
  return `${policy.qualifiedName}/`;
}

export function archiveKey(policy: PartitionPolicy, partition: string, format: ArchiveFormat): string {
  return `${archivePrefix(policy)}${partition}${archiveExtension(format)}`;
}

/** The partition an archive key was written for, or undefined when the key is not one of ours. */
export function partitionOfArchiveKey(policy: PartitionPolicy, key: string): string | undefined {
  if (!key.startsWith(archivePrefix(policy))) return undefined;
  const name = key.slice(archivePrefix(policy).length);
  try {
    return name.slice(0, name.length - archiveExtension(archiveFormatOfKey(name)).length);
  } catch {
    return undefined;
  }
}
