import type pg from 'pg';

export interface OffsetPage<Row> {
  data: Row[];
  page: number;
  total: number;
}

export interface FeedItemRow {
  id: string;
  created_at: Date;
  author: string;
  body: string;
}

/**
 * The reviewed design: `?page=N&pageSize=M` turned into LIMIT/OFFSET, plus a COUNT for the total.
 * Page N is "whatever sits at positions N*M.. right now", so a row inserted at the head pushes an
 * already-served row onto the next page (served twice) and a deleted row pulls an unseen one back
 * onto a page already served (never served). The COUNT scans the whole list on every request.
 */
export async function listFeedByOffset(
  pool: pg.Pool,
  page: number,
  pageSize: number,
): Promise<OffsetPage<FeedItemRow>> {
  const { rows } = await pool.query<FeedItemRow>(
    'SELECT id, created_at, author, body FROM feed_items ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2',
    [pageSize, page * pageSize],
  );
  const { rows: counted } = await pool.query<{ total: string }>('SELECT count(*) AS total FROM feed_items');
  return { data: rows, page, total: Number(counted[0]?.total ?? 0) };
}

/**
 * A "cursor" that is an offset in disguise: the token is opaque to the client, but it still names a
 * position, so it drifts exactly like `?page=N` while the list changes.
 */
export async function listFeedByOffsetCursor(
  pool: pg.Pool,
  cursor: string | null,
  pageSize: number,
): Promise<{ data: FeedItemRow[]; nextCursor: string | null }> {
  const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
  const { rows } = await pool.query<FeedItemRow>(
    'SELECT id, created_at, author, body FROM feed_items ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2',
    [pageSize, offset],
  );
  const next = rows.length < pageSize ? null : Buffer.from(String(offset + pageSize)).toString('base64url');
  return { data: rows, nextCursor: next };
}
