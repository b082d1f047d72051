import { readArchive } from './archive-reader.js';
import type { ArchiveStore } from './archive-store.js';
import { ArchiveVerificationError } from './archive-verification.error.js';
import type { WrittenArchive } from './partition-archive-writer.js';
import { RowDigest } from './row-digest.js';

/**
 * Reads the stored archive back and compares it with what was written: the row count against the table's
 * count(*), and a digest of every value in order. Only a verified archive lets the partition be dropped.
 */
export async function verifyPartitionArchive(store: ArchiveStore, written: WrittenArchive): Promise<void> {
  if (written.archivedRows !== written.tableRows) {
    throw new ArchiveVerificationError(
      written.key,
      `wrote ${written.archivedRows} rows, the table holds ${written.tableRows}`,
    );
  }
  const digest = new RowDigest();
  for await (const row of readArchive(store, written.key)) {
    const missing = written.columns.find((column) => !(column in row));
    if (missing !== undefined)
      throw new ArchiveVerificationError(written.key, `row ${digest.rows + 1} has no column ${missing}`);
    digest.add(written.columns.map((column) => row[column] ?? null));
  }
  if (digest.rows !== written.tableRows) {
    throw new ArchiveVerificationError(
      written.key,
      `reads back ${digest.rows} rows, the table holds ${written.tableRows}`,
    );
  }
  if (digest.hex() !== written.digest)
    throw new ArchiveVerificationError(written.key, 'the rows read back differ from the rows written');
}
