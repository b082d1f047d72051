import type { ArchivedValues } from './archived-row.js';

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted';

/**
 * Streams CSV records out of text chunks of any size (a quoted field may span chunks and lines).
 * An empty unquoted field is NULL, `""` is the empty string — the inverse of the encoder.
 */
export async function* decodeCsvRecords(chunks: AsyncIterable<string>): AsyncGenerator<ArchivedValues> {
  let state: State = 'fieldStart';
  let field = '';
  let record: (string | null)[] = [];
  let line = 1;
  let quoteOpenedOn = 0;
  for await (const chunk of chunks) {
    const completed: ArchivedValues[] = [];
    for (const char of chunk) {
      if (state === 'quoted') {
        if (char === '"') state = 'quoteInQuoted';
        else field += char;
        if (char === '\n') line += 1;
        continue;
      }
      if (state === 'quoteInQuoted' && char === '"') {
        field += '"';
        state = 'quoted';
        continue;
      }
      if (char === ',' || char === '\n') {
        record.push(state === 'fieldStart' ? null : field);
        field = '';
        state = 'fieldStart';
        if (char === '\n') {
          completed.push(record);
          record = [];
          line += 1;
        }
        continue;
      }
      // Outside quotes a carriage return can only come from CRLF line ends: the encoder quotes any value holding one.
      if (char === '\r') continue;
      if (state === 'quoteInQuoted')
        throw new Error(
          `Malformed CSV archive: unexpected ${JSON.stringify(char)} after a closing quote on line ${line}`,
        );
      if (state === 'fieldStart' && char === '"') {
        state = 'quoted';
        quoteOpenedOn = line;
        continue;
      }
      field += char;
      state = 'unquoted';
    }
    yield* completed;
  }
  if (state === 'quoted')
    throw new Error(`Malformed CSV archive: quoted field opened on line ${quoteOpenedOn} never closes`);
  if (state !== 'fieldStart' || record.length > 0) {
    record.push(state === 'fieldStart' ? null : field);
    yield record;
  }
}
