import { createHash } from 'node:crypto';
import type { ArchivedRow } from '../src/index.js';

/** sha256 over every row's column names and values, in order: equal only for the same rows in the same order. */
export function rowsFingerprint(rows: Iterable<ArchivedRow>): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${JSON.stringify(Object.entries(row))}\n`);
  return hash.digest('hex');
}
