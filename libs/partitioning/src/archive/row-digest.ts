import { createHash } from 'node:crypto';
import type { ArchivedValues } from './archived-row.js';

/** An order-sensitive fingerprint of rows, so what was written and what reads back can be compared cheaply. */
export class RowDigest {
  private readonly hash = createHash('sha256');
  private count = 0;

  add(values: ArchivedValues): void {
    this.hash.update(JSON.stringify(values));
    this.hash.update('\n');
    this.count += 1;
  }

  get rows(): number {
    return this.count;
  }

  /** Ends the digest: call once, after the last row. */
  hex(): string {
    return this.hash.digest('hex');
  }
}
