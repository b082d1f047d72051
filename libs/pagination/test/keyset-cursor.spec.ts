import { describe, expect, test } from '@jest/globals';
import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  InvalidCursorError,
  KEYSET_CURSOR_VERSION,
  MAX_CURSOR_LENGTH,
  type KeysetCursorScope,
  type KeysetSort,
} from '../src/index.js';

/** The list the cursors in these tests were issued for: `GET /feed?category=a`. */
const FEED_A: KeysetCursorScope = { endpoint: 'GET /feed', filter: { category: 'a' } };

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
    const cursor = encodeKeysetCursor(values, FEED_A);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor, { sort: SORT, scope: FEED_A })).toEqual(values);
  });

  test('carries a version, its list, a digest of its filter and a checksum', () => {
    const cursor = encodeKeysetCursor(['a'], FEED_A);
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toEqual({
      v: KEYSET_CURSOR_VERSION,
      s: 'GET /feed',
      f: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
      k: ['a'],
      c: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
    });
    expect(KEYSET_CURSOR_VERSION).toBe(2);
  });

  test('is refused by another list', () => {
    const cursor = encodeKeysetCursor(['a'], FEED_A);
    const other: KeysetCursorScope = { endpoint: 'GET /feed/mine', filter: { category: 'a' } };
    expect(reasonOf(() => decodeKeysetCursor(cursor, { scope: other }))).toBe(
      'was issued for another list; restart from the first page of this one',
    );
  });

  test.each([
    ['another value', { category: 'b' }],
    ['no filter', {}],
    ['an extra filter', { category: 'a', status: 'draft' }],
    ['a null for a value', { category: null }],
  ])('is refused under other filters: %s', (_, filter) => {
    const cursor = encodeKeysetCursor(['a'], FEED_A);
    expect(reasonOf(() => decodeKeysetCursor(cursor, { scope: { endpoint: 'GET /feed', filter } }))).toBe(
      'was issued for other filters; send the filters of the page it came from, or restart from the first page',
    );
  });

  test('reads the same filter given in another key order, with unset keys, or a Date as its instant', () => {
    const at = '2031-05-01T09:00:00.000Z';
    const issued: KeysetCursorScope = {
      endpoint: 'GET /feed',
      filter: { from: new Date(at), category: 'a' },
    };
    const cursor = encodeKeysetCursor(['a'], issued);
    const same = { endpoint: 'GET /feed', filter: { category: 'a', to: undefined, from: at } };
    expect(decodeKeysetCursor(cursor, { scope: same })).toEqual(['a']);
  });

  test.each([
    ['a key value', (payload: Record<string, unknown>) => ({ ...payload, k: ['b'] })],
    ['its list', (payload: Record<string, unknown>) => ({ ...payload, s: 'GET /feed/mine' })],
    ['its filter digest', (payload: Record<string, unknown>) => ({ ...payload, f: 'AAAAAAAAAAAAAAAA' })],
  ])('is refused when %s is edited', (_, edit) => {
    const cursor = encodeKeysetCursor(['a'], FEED_A);
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(reasonOf(() => decodeKeysetCursor(encodeJson(edit(payload)), { scope: FEED_A }))).toBe(
      'has been altered; restart from the first page',
    );
  });

  test('refuses the old format (version 1, keys only)', () => {
    const old = encodeJson({ v: 1, k: ['2024-03-01T10:20:30.123456Z', '42'] });
    expect(reasonOf(() => decodeKeysetCursor(old, { sort: SORT, scope: FEED_A }))).toBe(
      'has unsupported version 1; restart from the first page',
    );
  });

  test.each([
    ['empty', '', `must be 1 to ${MAX_CURSOR_LENGTH} characters long`],
    ['too long', 'a'.repeat(MAX_CURSOR_LENGTH + 1), `must be 1 to ${MAX_CURSOR_LENGTH} characters long`],
    ['not base64url', 'abc+/=', 'is not base64url-encoded'],
    ['not JSON', Buffer.from('{nope').toString('base64url'), 'is not a cursor issued by this API'],
    ['a JSON array', encodeJson([1, 2]), 'is not a cursor issued by this API'],
    [
      'another version',
      encodeJson({ v: 3, s: 'GET /feed', f: 'x', k: ['a'], c: 'x' }),
      'has unsupported version 3; restart from the first page',
    ],
    [
      'extra fields',
      encodeJson({ v: 2, s: 'GET /feed', f: 'x', k: ['a'], c: 'x', admin: true }),
      'is not a cursor issued by this API',
    ],
    ['no list', encodeJson({ v: 2, f: 'x', k: ['a'], c: 'x' }), 'is not a cursor issued by this API'],
    [
      'no keys',
      encodeJson({ v: 2, s: 'GET /feed', f: 'x', k: [], c: 'x' }),
      'is not a cursor issued by this API',
    ],
    [
      'non-string keys',
      encodeJson({ v: 2, s: 'GET /feed', f: 'x', k: [1], c: 'x' }),
      'is not a cursor issued by this API',
    ],
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
    expect(reasonOf(() => decodeKeysetCursor(encodeKeysetCursor(values, FEED_A), { sort: SORT }))).toBe(
      reason,
    );
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
    expect(decodeKeysetCursor(encodeKeysetCursor([valid], FEED_A), { sort })).toEqual([valid]);
    expect(reasonOf(() => decodeKeysetCursor(encodeKeysetCursor([invalid], FEED_A), { sort }))).toBe(
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
