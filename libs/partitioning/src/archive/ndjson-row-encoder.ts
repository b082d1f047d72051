import type { ArchivedValues } from './archived-row.js';
import type { RowEncoder } from './row-encoder.js';

/** One JSON object per line, keys in column order; JSON escapes newlines, so a line is always a row. */
export function createNdjsonRowEncoder(columns: readonly string[]): RowEncoder {
  return {
    header: '',
    encode: (values: ArchivedValues) =>
      `${JSON.stringify(Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null])))}\n`,
  };
}
