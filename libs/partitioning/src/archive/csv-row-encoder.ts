import type { RowEncoder } from './row-encoder.js';

/**
 * CSV as PostgreSQL's `COPY … (FORMAT csv, HEADER)` reads it: NULL is an empty unquoted field and an
 * empty string is `""`, so the two stay distinct.
 */
export function createCsvRowEncoder(columns: readonly string[]): RowEncoder {
  return {
    header: `${columns.map(csvField).join(',')}\n`,
    encode: (values) => `${values.map((value) => (value === null ? '' : csvField(value))).join(',')}\n`,
  };
}

function csvField(value: string): string {
  // `\.` alone is COPY's end-of-data marker, so it is quoted like PostgreSQL does.
  return value === '' || value === '\\.' || /[",\r\n]/.test(value)
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}
