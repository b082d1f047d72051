import { describe, expect, test } from '@jest/globals';
import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  InvalidCursorError,
  MAX_CURSOR_LENGTH,
  type KeysetSort,
} from '../src/index.js';

const SORT: KeysetSort = [
  { column: 'created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'id', type: 'bigint', direction: 'DESC' },
];

const encodeJson = (payload: unknown): string =>
  Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidCursorError) return error.reason;
    throw error;
  }
  throw new Error('expected an InvalidCursorError');
}

describe('keyset cursor', () => {
  test('round-trips exact text values through an opaque base64url string', () => {
    const values = ['2024-03-01T10:20:30.123456Z', '9007199254740993'];
    const cursor = encodeKeysetCursor(values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor, SORT)).toEqual(values);
  });

  test('carries a version', () => {
    const cursor = encodeKeysetCursor(['a']);
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toEqual({ v: 1, k: ['a'] });
  });

  test.each([
    ['empty', '', `must be 1 to ${MAX_CURSOR_LENGTH} characters long`],
    ['too long', 'a'.repeat(MAX_CURSOR_LENGTH + 1), `must be 1 to ${MAX_CURSOR_LENGTH} characters long`],
    ['not base64url', 'abc+/=', 'is not base64url-encoded'],
    ['not JSON', Buffer.from('{nope').toString('base64url'), 'is not a cursor issued by this API'],
    ['a JSON array', encodeJson([1, 2]), 'is not a cursor issued by this API'],
    [
      'another version',
      encodeJson({ v: 2, k: ['a'] }),
      'has unsupported version 2; restart from the first page',
    ],
    ['extra fields', encodeJson({ v: 1, k: ['a'], admin: true }), 'is not a cursor issued by this API'],
    ['no keys', encodeJson({ v: 1, k: [] }), 'is not a cursor issued by this API'],
    ['non-string keys', encodeJson({ v: 1, k: [1] }), 'is not a cursor issued by this API'],
  ])('rejects a cursor that is %s', (_, cursor, reason) => {
    expect(reasonOf(() => decodeKeysetCursor(cursor))).toBe(reason);
  });

  test.each([
    [
      'too few keys',
      ['2024-03-01T10:20:30.123456Z'],
      "does not match this list's sort order (expected 2 keys, got 1)",
    ],
    ['a millisecond timestamp', ['2024-03-01T10:20:30.123Z', '1'], 'key 1 is not a valid timestamptz'],
    ['an impossible date', ['2024-02-30T10:20:30.123456Z', '1'], 'key 1 is not a valid timestamptz'],
    [
      'an id past int8',
      ['2024-03-01T10:20:30.123456Z', '9223372036854775808'],
      'key 2 is not a valid bigint',
    ],
    ['an id with SQL in it', ['2024-03-01T10:20:30.123456Z', "1' OR '1'='1"], 'key 2 is not a valid bigint'],
  ])('rejects, against the sort, a cursor with %s', (_, values, reason) => {
    expect(reasonOf(() => decodeKeysetCursor(encodeKeysetCursor(values), SORT))).toBe(reason);
  });

  test.each([
    ['integer', '2147483647', '2147483648'],
    ['numeric', '-12.50', '1e5'],
    ['uuid', '0b7e4a3c-1f2d-4c5b-9a8e-7d6c5b4a3f2e', '0b7e4a3c1f2d4c5b9a8e7d6c5b4a3f2e'],
    ['date', '2024-02-29', '2023-02-29'],
    ['timestamp', '2024-02-29T23:59:59.999999', '2024-02-29T24:00:00.000000'],
    ['text', 'any text at all', 'nul \u0000 inside'],
  ] as const)('checks %s values', (type, valid, invalid) => {
    const sort: KeysetSort = [{ column: 'k', type, direction: 'ASC' }];
    expect(decodeKeysetCursor(encodeKeysetCursor([valid]), sort)).toEqual([valid]);
    expect(reasonOf(() => decodeKeysetCursor(encodeKeysetCursor([invalid]), sort))).toBe(
      `key 1 is not a valid ${type}`,
    );
  });

  test('is a 400 with a field-level message', () => {
    const error = new InvalidCursorError('is not base64url-encoded');
    expect(error.getStatus()).toBe(400);
    expect(error.message).toBe('cursor: is not base64url-encoded');
    expect(error.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'cursor: is not base64url-encoded',
      details: [{ field: 'cursor', message: 'is not base64url-encoded' }],
    });
  });
});
