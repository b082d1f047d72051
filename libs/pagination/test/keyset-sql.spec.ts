import { describe, expect, test } from '@jest/globals';
import {
  buildKeysetSql,
  encodeKeysetCursor,
  InvalidCursorError,
  InvalidPageSizeError,
  type KeysetSort,
  type KeysetCursorScope,
} from '../src/index.js';

/** The one list these cursors belong to. */
const SCOPE: KeysetCursorScope = { endpoint: 'GET /feed', filter: {} };

const NEWEST_FIRST: KeysetSort = [
  { column: 'f.created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'f.id', type: 'bigint', direction: 'DESC' },
];
const AFTER = ['2024-03-01T10:20:30.123456Z', '42'];

describe('buildKeysetSql', () => {
  test('first page: no condition, keys selected as exact text, fetches one row more than the page', () => {
    const sql = buildKeysetSql({ scope: SCOPE, sort: NEWEST_FIRST });
    expect(sql.where).toBe('TRUE');
    expect(sql.orderBy).toBe('f.created_at DESC, f.id DESC');
    expect(sql.limit).toBe('$1');
    expect(sql.parameters).toEqual([21]);
    expect(sql.select).toBe(
      `to_char((f.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "keyset_0", (f.id)::text AS "keyset_1"`,
    );
  });

  test('same directions: one row-value comparison, numbered after the caller parameters', () => {
    const sql = buildKeysetSql(
      { scope: SCOPE, sort: NEWEST_FIRST, cursor: encodeKeysetCursor(AFTER, SCOPE), limit: 10 },
      { parameterOffset: 2 },
    );
    expect(sql.where).toBe('(f.created_at, f.id) < (CAST($3 AS timestamptz), CAST($4 AS bigint))');
    expect(sql.limit).toBe('$5');
    expect(sql.parameters).toEqual([...AFTER, 11]);
  });

  test('ascending uses >, a single column needs no row value', () => {
    const sort: KeysetSort = [{ column: 'id', type: 'bigint', direction: 'ASC' }];
    expect(buildKeysetSql({ scope: SCOPE, sort, cursor: encodeKeysetCursor(['7'], SCOPE) }).where).toBe(
      'id > CAST($1 AS bigint)',
    );
  });

  test('mixed directions: the OR expansion behind an indexable bound on the first column', () => {
    const sort: KeysetSort = [
      { column: 'score', type: 'integer', direction: 'DESC' },
      { column: 'author', type: 'text', direction: 'ASC' },
      { column: 'id', type: 'bigint', direction: 'ASC' },
    ];
    const sql = buildKeysetSql({ scope: SCOPE, sort, cursor: encodeKeysetCursor(['5', 'ann', '9'], SCOPE) });
    const [score, author, id] = ['CAST($1 AS integer)', 'CAST($2 AS text)', 'CAST($3 AS bigint)'];
    expect(sql.where).toBe(
      `(score <= ${score} AND ((score < ${score}) OR (score = ${score} AND author > ${author}) ` +
        `OR (score = ${score} AND author = ${author} AND id > ${id})))`,
    );
    expect(sql.orderBy).toBe('score DESC, author ASC, id ASC');
  });

  test('toPage: drops the look-ahead row and the key columns, and points the cursor at the last row', () => {
    const sql = buildKeysetSql({ scope: SCOPE, sort: NEWEST_FIRST, limit: 2 });
    const rows = [3, 2, 1].map((id) => ({
      id,
      keyset_0: `2024-03-01T10:20:3${id}.000000Z`,
      keyset_1: String(id),
    }));
    const page = sql.toPage(rows);
    expect(page.data).toEqual([{ id: 3 }, { id: 2 }]);
    expect(page.pagination.hasMore).toBe(true);
    expect(page.pagination.nextCursor).toBe(encodeKeysetCursor(['2024-03-01T10:20:32.000000Z', '2'], SCOPE));
  });

  test('toPage: the last page has no cursor', () => {
    const sql = buildKeysetSql({ scope: SCOPE, sort: NEWEST_FIRST, limit: 2 });
    const page = sql.toPage([{ id: 1, keyset_0: '2024-03-01T10:20:30.000000Z', keyset_1: '1' }]);
    expect(page).toEqual({
      data: [{ id: 1 }],
      pagination: { nextCursor: null, hasMore: false },
    });
  });

  test('toPage: a NULL sort key is reported as a schema error, not encoded', () => {
    const sql = buildKeysetSql({ scope: SCOPE, sort: NEWEST_FIRST, limit: 1 });
    const rows = [
      { keyset_0: null, keyset_1: '2' },
      { keyset_0: null, keyset_1: '1' },
    ];
    expect(() => sql.toPage(rows)).toThrow(
      'keyset sort column 1 is NULL in the last row of the page; keyset sort columns must be NOT NULL',
    );
  });

  test('rejects a bad cursor or page size before any SQL runs', () => {
    expect(() =>
      buildKeysetSql({
        scope: SCOPE,
        sort: NEWEST_FIRST,
        cursor: encodeKeysetCursor(['yesterday', '1'], SCOPE),
      }),
    ).toThrow(InvalidCursorError);
    expect(() => buildKeysetSql({ scope: SCOPE, sort: NEWEST_FIRST, limit: 101 })).toThrow(
      InvalidPageSizeError,
    );
  });

  test('a page cursor is accepted by its own list and filter only', () => {
    const scope = { endpoint: 'GET /feed', filter: { category: 'a' } };
    const rows = [2, 1].map((id) => ({
      id,
      keyset_0: `2024-03-01T10:20:3${id}.000000Z`,
      keyset_1: String(id),
    }));
    const cursor = buildKeysetSql({ scope, sort: NEWEST_FIRST, limit: 1 }).toPage(rows).pagination.nextCursor;
    expect(cursor).not.toBeNull();
    const next = (other: typeof scope) => () => buildKeysetSql({ scope: other, sort: NEWEST_FIRST, cursor });
    expect(next(scope)).not.toThrow();
    expect(next({ endpoint: 'GET /feed', filter: { category: 'b' } })).toThrow(
      'cursor: was issued for other filters',
    );
    expect(next({ endpoint: 'GET /feed/mine', filter: { category: 'a' } })).toThrow(
      'cursor: was issued for another list',
    );
  });
});
