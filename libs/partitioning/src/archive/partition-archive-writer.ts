import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import type { PartitionArchive } from '../policy/partition-policy.js';
import { createRowEncoder, type ArchiveFormat } from './archive-format.js';
import type { RowEncoder } from './row-encoder.js';
import { RowDigest } from './row-digest.js';

export interface WrittenArchive {
  key: string;
  /** count(*) of the table, read in the same snapshot as the exported rows. */
  tableRows: number;
  archivedRows: number;
  columns: string[];
  digest: string;
}

const FETCH_ROWS = 2_000;

// Every value arrives as PostgreSQL's own text output: nothing is lost to JavaScript numbers or Dates.
const RAW_TEXT: pg.CustomTypesConfig = {
  getTypeParser: () => (value: string) => value,
};

/**
 * Streams a table into the store as gzip-compressed text through a server-side cursor: at most one fetch
 * batch and one gzip buffer are in memory, whatever the table's size.
 */
export async function writePartitionArchive(
  client: pg.ClientBase,
  table: string,
  archive: PartitionArchive,
  key: string,
): Promise<WrittenArchive> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // Fixed output settings, so an archive's text does not depend on the server's or the role's defaults.
    await client.query(
      `SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1`,
    );
    const { rows } = await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${table}`);
    await client.query(`DECLARE archive_rows NO SCROLL CURSOR FOR SELECT * FROM ${table}`);
    const digest = new RowDigest();
    const columns: string[] = [];
    let storeFailure: unknown;
    await pipeline(
      Readable.from(encodedRows(client, archive.format, digest, columns)),
      createGzip(),
      async (compressed: AsyncIterable<Uint8Array>) => {
        await archive.store.put(key, compressed).catch((error: unknown) => {
          storeFailure = error;
          throw error;
        });
      },
    ).catch((error: unknown) => {
      // A store that stops reading makes the pipeline report an abort; the store's own error says why.
      throw storeFailure ?? error;
    });
    await client.query('COMMIT');
    return {
      key,
      tableRows: Number(rows[0]?.count),
      archivedRows: digest.rows,
      columns,
      digest: digest.hex(),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Fetches the cursor batch by batch, as encoded text; fills `columns` from the first batch's description. */
async function* encodedRows(
  client: pg.ClientBase,
  format: ArchiveFormat,
  digest: RowDigest,
  columns: string[],
): AsyncGenerator<string> {
  let encoder: RowEncoder | undefined;
  for (;;) {
    const batch = await client.query<(string | null)[]>({
      text: `FETCH ${FETCH_ROWS} FROM archive_rows`,
      rowMode: 'array',
      types: RAW_TEXT,
    });
    if (!encoder) {
      columns.push(...batch.fields.map((field) => field.name));
      encoder = createRowEncoder(format, columns);
      if (encoder.header !== '') yield encoder.header;
    }
    if (batch.rows.length === 0) return;
    let text = '';
    for (const values of batch.rows) {
      digest.add(values);
      text += encoder.encode(values);
    }
    yield text;
    if (batch.rows.length < FETCH_ROWS) return;
  }
}
