import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { listFeedByKeyset } from '../findings/feed-items.query.js';
import { migrateFeedItems } from '../findings/feed-items.schema.js';
import { buildKeysetSql, InvalidCursorError, type KeysetSort, type KeysetCursorScope } from '../src/index.js';
import { walkKeysetPages } from './walk-keyset-pages.js';

/** The one list these cursors belong to. */
const SCOPE: KeysetCursorScope = { endpoint: 'GET /scores', filter: {} };

const ctx = useTestContext({ name: 'pagination', migrate: migrateFeedItems });

const TOP_SCORE_THEN_OLDEST_ID: KeysetSort = [
  { column: 'score', type: 'integer', direction: 'DESC' },
  { column: 'id', type: 'bigint', direction: 'ASC' },
];

async function idsOrderedBy(orderBy: string, where = 'TRUE'): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ id: string }>(
    `SELECT id FROM feed_items WHERE ${where} ORDER BY ${orderBy}`,
  );
  return rows.map((row) => row.id);
}

describe('buildKeysetSql (node-postgres)', () => {
  beforeAll(async () => {
    await ctx.pool.query(
      `INSERT INTO feed_items (created_at, author, body, score)
       SELECT timestamptz '2024-05-01 12:00:00+00' + (g / 4) * interval '1 second',
              CASE WHEN g % 2 = 0 THEN 'ann' ELSE 'bob' END, 'item ' || g, g % 5
         FROM generate_series(1, 83) AS g`,
    );
  });

  test('walks newest first with created_at ties', async () => {
    const { rows } = await walkKeysetPages((cursor) => listFeedByKeyset(ctx.pool, cursor, 9));
    expect(rows.map((row) => row.id)).toEqual(await idsOrderedBy('created_at DESC, id DESC'));
    expect(rows[0]).not.toHaveProperty('keyset_0');
  });

  test('walks mixed directions (score DESC, id ASC) with placeholders after the caller own', async () => {
    const { rows } = await walkKeysetPages(async (cursor) => {
      const keyset = buildKeysetSql(
        { scope: SCOPE, sort: TOP_SCORE_THEN_OLDEST_ID, cursor, limit: 6 },
        { parameterOffset: 1 },
      );
      const { rows: page } = await ctx.pool.query<{
        id: string;
        score: number;
      }>(
        `SELECT id, score, ${keyset.select} FROM feed_items
          WHERE author = $1 AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
        ['bob', ...keyset.parameters],
      );
      return keyset.toPage(page);
    });
    expect(rows.map((row) => row.id)).toEqual(await idsOrderedBy('score DESC, id ASC', "author = 'bob'"));
  });

  test('an exact multiple of the page size ends with hasMore false, not an empty page', async () => {
    const { pageSizes } = await walkKeysetPages(async (cursor) => {
      const keyset = buildKeysetSql(
        { scope: SCOPE, sort: TOP_SCORE_THEN_OLDEST_ID, cursor, limit: 5 },
        { parameterOffset: 1 },
      );
      const { rows } = await ctx.pool.query(
        `SELECT id, ${keyset.select} FROM feed_items WHERE id <= $1 AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
        [(await idsOrderedBy('id'))[19], ...keyset.parameters],
      );
      return keyset.toPage(rows);
    });
    expect(pageSizes).toEqual([5, 5, 5, 5]);
  });

  test('a tampered cursor is an InvalidCursorError, never a database error', async () => {
    const tampered = Buffer.from(
      JSON.stringify({
        v: 1,
        k: ['2024-05-01T12:00:00.000000Z', '1; DROP TABLE feed_items'],
      }),
    ).toString('base64url');
    await expect(listFeedByKeyset(ctx.pool, tampered, 10)).rejects.toThrow(InvalidCursorError);
    await expect(listFeedByKeyset(ctx.pool, 'bm90LWEtY3Vyc29y', 10)).rejects.toThrow(
      'cursor: is not a cursor issued by this API',
    );
  });
});
