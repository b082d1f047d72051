import { describe, expect, test } from '@jest/globals';
import type { ArchivedValues } from '../src/archive/archived-row.js';
import { decodeArchiveRows, createRowEncoder, type ArchiveFormat } from '../src/archive/archive-format.js';
import { decodeCsvRecords } from '../src/archive/csv-row-decoder.js';

const columns = ['id', 'note', 'payload'];
const rows: ArchivedValues[] = [
  ['1', 'plain', '{"a": 1}'],
  ['2', '', null],
  ['3', 'comma, "quotes" and\nnewline', 'crlf\r\nend'],
  ['4', '\\.', 'ünïcødé ✓ 🚑'],
  ['5', ' leading and trailing ', null],
];

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let index = 0; index < text.length; index += size) yield text.slice(index, index + size);
}

async function decode(
  format: ArchiveFormat,
  text: string,
  chunkSize: number,
): Promise<Record<string, string | null>[]> {
  const decoded: Record<string, string | null>[] = [];
  for await (const row of decodeArchiveRows(format, chunked(text, chunkSize))) decoded.push({ ...row });
  return decoded;
}

describe.each(['csv', 'ndjson'] as const)('%s archive text', (format) => {
  const encoder = createRowEncoder(format, columns);
  const text = encoder.header + rows.map((values) => encoder.encode(values)).join('');
  const expected = rows.map((values) =>
    Object.fromEntries(columns.map((column, index) => [column, values[index] ?? null])),
  );

  test.each([1, 2, 7, 4096])(
    'round-trips NULLs, empty strings, quotes and newlines split into %i-character chunks',
    async (size) => {
      expect(await decode(format, text, size)).toEqual(expected);
    },
  );
});

describe('csv encoding', () => {
  test('is what COPY … (FORMAT csv, HEADER) writes: NULL unquoted-empty, empty string quoted', () => {
    const encoder = createRowEncoder('csv', ['a', 'b', 'c']);
    expect(encoder.header).toBe('a,b,c\n');
    expect(encoder.encode([null, '', 'x"y'])).toBe(',"","x""y"\n');
  });

  test('reads CRLF line ends and a last line without a newline', async () => {
    const records: ArchivedValues[] = [];
    for await (const record of decodeCsvRecords(chunked('a,b\r\n1,\r\n2,"x"', 3))) records.push(record);
    expect(records).toEqual([
      ['a', 'b'],
      ['1', null],
      ['2', 'x'],
    ]);
  });

  test('rejects malformed input with the line number', async () => {
    await expect(decode('csv', 'a,b\n1,"open\n', 5)).rejects.toThrow(
      'quoted field opened on line 2 never closes',
    );
    await expect(decode('csv', 'a,b\n1,"x"y\n', 5)).rejects.toThrow(
      'unexpected "y" after a closing quote on line 2',
    );
    await expect(decode('csv', 'a,b\n1,2,3\n', 5)).rejects.toThrow('row 1 has 3 fields, the header has 2');
    await expect(decode('ndjson', '{"a":1}\n', 5)).rejects.toThrow(
      'line 1 is not an object of text or null values',
    );
  });
});
