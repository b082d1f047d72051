import { expect, test } from '@jest/globals';
import { chunkSqsEntries } from '../src/sqs-batch-chunker.js';

const entry = (id: number, bodyBytes: number): { Id: string; MessageBody: string } => ({
  Id: String(id),
  MessageBody: 'x'.repeat(bodyBytes),
});

test('at most ten entries per request', () => {
  const chunks = chunkSqsEntries(Array.from({ length: 23 }, (_, i) => entry(i, 10)));
  expect(chunks.map((c) => c.length)).toEqual([10, 10, 3]);
});

test('a request never exceeds the byte limit, and an oversized entry travels alone', () => {
  const chunks = chunkSqsEntries(
    [entry(1, 400), entry(2, 400), entry(3, 400), entry(4, 5_000), entry(5, 100)],
    1_000,
  );
  expect(chunks.map((c) => c.map((e) => e.Id))).toEqual([['1', '2'], ['3'], ['4'], ['5']]);
});
