import type { ArchivedRow } from './archived-row.js';
import type { RowEncoder } from './row-encoder.js';
import { decodeCsvRecords } from './csv-row-decoder.js';
import { createCsvRowEncoder } from './csv-row-encoder.js';
import { decodeNdjsonRows } from './ndjson-row-decoder.js';
import { createNdjsonRowEncoder } from './ndjson-row-encoder.js';

/** Both are gzip-compressed text a person can open with `zcat`; CSV also loads back with `COPY … FROM`. */
export type ArchiveFormat = 'csv' | 'ndjson';

export const ARCHIVE_FORMATS: readonly ArchiveFormat[] = ['csv', 'ndjson'];

export function archiveExtension(format: ArchiveFormat): string {
  return `.${format}.gz`;
}

export function archiveFormatOfKey(key: string): ArchiveFormat {
  const format = ARCHIVE_FORMATS.find((candidate) => key.endsWith(archiveExtension(candidate)));
  if (!format)
    throw new Error(
      `Archive key "${key}" ends in none of ${ARCHIVE_FORMATS.map(archiveExtension).join(', ')}`,
    );
  return format;
}

export function createRowEncoder(format: ArchiveFormat, columns: readonly string[]): RowEncoder {
  return format === 'csv' ? createCsvRowEncoder(columns) : createNdjsonRowEncoder(columns);
}

export function decodeArchiveRows(
  format: ArchiveFormat,
  text: AsyncIterable<string>,
): AsyncGenerator<ArchivedRow> {
  return format === 'csv' ? csvRowsWithHeader(text) : decodeNdjsonRows(text);
}

async function* csvRowsWithHeader(text: AsyncIterable<string>): AsyncGenerator<ArchivedRow> {
  let columns: string[] | undefined;
  let row = 0;
  for await (const values of decodeCsvRecords(text)) {
    if (!columns) {
      columns = values.map((value) => value ?? '');
      continue;
    }
    row += 1;
    if (values.length !== columns.length) {
      throw new Error(
        `Malformed CSV archive: row ${row} has ${values.length} fields, the header has ${columns.length}`,
      );
    }
    yield Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null]));
  }
}
