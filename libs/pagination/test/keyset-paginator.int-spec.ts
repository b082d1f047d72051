import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { migrateFeedItems } from '../findings/feed-items.schema.js';
import {
  encodeKeysetCursor,
  InvalidCursorError,
  paginateKeyset,
  type KeysetSort,
  type KeysetCursorScope,
} from '../src/index.js';
import { FeedItemEntity } from './feed-item.entity.js';
import { walkKeysetPages } from './walk-keyset-pages.js';

/** The one list these cursors belong to. */
const SCOPE: KeysetCursorScope = { endpoint: 'GET /feed', filter: {} };

const ctx = useTestContext({ name: 'pagination', migrate: migrateFeedItems });

const NEWEST_FIRST: KeysetSort = [
  { column: 'item.createdAt', type: 'timestamptz', direction: 'DESC' },
  { column: 'item.id', type: 'bigint', direction: 'DESC' },
];
const OLDEST_FIRST: KeysetSort = [
  { column: 'item.created_at', type: 'timestamptz', direction: 'ASC' },
  { column: 'item.id', type: 'bigint', direction: 'ASC' },
];

// The ids in the expected order, as the database itself sorts them.
async function idsOrderedBy(orderBy: string, where = 'TRUE'): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ id: string }>(
    `SELECT id FROM feed_items WHERE ${where} ORDER BY ${orderBy}`,
  );
  return rows.map((row) => row.id);
}

describe('paginateKeyset (TypeORM)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    // 97 rows on only 10 distinct instants, all inside one millisecond: every page boundary falls in a
    // tie on created_at, and a cursor rounded to JS Date precision would skip or repeat rows.
    await ctx.pool.query(
      `INSERT INTO feed_items (created_at, author, body, score)
       SELECT timestamptz '2024-05-01 12:00:00.000100+00' + (g % 10) * interval '1 microsecond',
              CASE WHEN g % 3 = 0 THEN 'ann' ELSE 'bob' END, 'item ' || g, g % 7
         FROM generate_series(1, 97) AS g`,
    );
    dataSource = await new DataSource({
      type: 'postgres',
      url: ctx.databaseUrl,
      entities: [FeedItemEntity],
      synchronize: false,
      poolSize: 2,
    }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const items = () => dataSource.getRepository(FeedItemEntity).createQueryBuilder('item');

  test('walks newest first across microsecond ties: every row once, in order', async () => {
    const { rows, pageSizes } = await walkKeysetPages((cursor) =>
      paginateKeyset(items(), { scope: SCOPE, sort: NEWEST_FIRST, cursor, limit: 7 }),
    );
    expect(rows.map((row) => row.id)).toEqual(await idsOrderedBy('created_at DESC, id DESC'));
    expect(pageSizes).toEqual([...Array<number>(13).fill(7), 6]);
    expect(rows[0]).toBeInstanceOf(FeedItemEntity);
  });

  test('walks oldest first', async () => {
    const { rows } = await walkKeysetPages((cursor) =>
      paginateKeyset(items(), { scope: SCOPE, sort: OLDEST_FIRST, cursor, limit: 10 }),
    );
    expect(rows.map((row) => row.id)).toEqual(await idsOrderedBy('created_at ASC, id ASC'));
  });

  test("keeps the query builder's own filters, drops its OFFSET/ORDER BY, and leaves the builder untouched", async () => {
    const annOnly = items()
      .where('item.author = :author', { author: 'ann' })
      .orderBy('item.body')
      .skip(3)
      .take(4);
    const before = annOnly.getQuery();
    const { rows } = await walkKeysetPages((cursor) =>
      paginateKeyset(annOnly, { scope: SCOPE, sort: NEWEST_FIRST, cursor, limit: 5 }),
    );
    expect(rows.map((row) => row.id)).toEqual(
      await idsOrderedBy('created_at DESC, id DESC', "author = 'ann'"),
    );
    expect(annOnly.getQuery()).toBe(before);
  });

  test('uses the default page size of 20', async () => {
    const page = await paginateKeyset(items(), { scope: SCOPE, sort: NEWEST_FIRST });
    expect(page.data).toHaveLength(20);
    expect(page.pagination.hasMore).toBe(true);
  });

  test('rejects a cursor whose keys do not fit the sort, before querying', async () => {
    const cursor = encodeKeysetCursor(['2024-05-01 12:00', '1'], SCOPE);
    await expect(paginateKeyset(items(), { scope: SCOPE, sort: NEWEST_FIRST, cursor })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(paginateKeyset(items(), { scope: SCOPE, sort: NEWEST_FIRST, cursor })).rejects.toThrow(
      'cursor: key 1 is not a valid timestamptz',
    );
  });
});
