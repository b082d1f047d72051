import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { archiveFormatOfKey, decodeArchiveRows } from './archive-format.js';
import type { ArchiveStore } from './archive-store.js';
import type { ArchivedRow } from './archived-row.js';

/** Streams the rows of one archive back (format from the key's extension), never holding the file whole. */
export async function* readArchive(store: ArchiveStore, key: string): AsyncGenerator<ArchivedRow> {
  const format = archiveFormatOfKey(key);
  const body = Readable.from(await store.get(key));
  const text = body.pipe(createGunzip()).setEncoding('utf8');
  body.once('error', (error) => text.destroy(error));
  try {
    yield* decodeArchiveRows(format, text);
  } finally {
    body.destroy();
    text.destroy();
  }
}
