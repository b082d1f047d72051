import type { ArchivedRow } from './archived-row.js';

export async function* decodeNdjsonRows(chunks: AsyncIterable<string>): AsyncGenerator<ArchivedRow> {
  let pending = '';
  let line = 0;
  for await (const chunk of chunks) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const text of lines) {
      line += 1;
      if (text.trim() !== '') yield parseRow(text, line);
    }
  }
  if (pending.trim() !== '') yield parseRow(pending, line + 1);
}

function parseRow(text: string, line: number): ArchivedRow {
  const parsed: unknown = JSON.parse(text);
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((value) => value === null || typeof value === 'string');
  if (!valid)
    throw new Error(`Malformed NDJSON archive: line ${line} is not an object of text or null values`);
  return parsed as ArchivedRow;
}
