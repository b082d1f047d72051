import type { ArchivedValues } from './archived-row.js';

/** Turns rows into archive text: a header (possibly empty), then one piece per row. */
export interface RowEncoder {
  readonly header: string;
  encode(values: ArchivedValues): string;
}
