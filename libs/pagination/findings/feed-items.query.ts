import type pg from 'pg';
import { buildKeysetSql, type KeysetPage, type KeysetSort, type KeysetCursorScope } from '@remedy/pagination';

/** The one list these cursors belong to. */
const SCOPE: KeysetCursorScope = { endpoint: 'GET /feed', filter: {} };

export const FEED_NEWEST_FIRST: KeysetSort = [
  { column: 'created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'id', type: 'bigint', direction: 'DESC' },
];

export interface FeedItem {
  id: string;
  created_at: Date;
  author: string;
  body: string;
}

/** The remediated listing: the same newest-first feed as the kata, one keyset page per call. */
export async function listFeedByKeyset(
  pool: pg.Pool,
  cursor: string | null,
  limit: number,
  sort: KeysetSort = FEED_NEWEST_FIRST,
): Promise<KeysetPage<FeedItem>> {
  const keyset = buildKeysetSql({ scope: SCOPE, sort, cursor, limit });
  const { rows } = await pool.query<FeedItem>(
    `SELECT id, created_at, author, body, ${keyset.select} FROM feed_items
      WHERE ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
    [...keyset.parameters],
  );
  return keyset.toPage(rows);
}
