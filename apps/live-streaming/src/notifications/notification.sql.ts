import type { KeysetSqlFragment } from '@remedy/pagination';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/*
 * A member's notices, one keyset page in one statement with the stream and the streamer's profile joined;
 * `n.user_id = $1` leads notifications_user_created_idx.
 */
export function notificationsPageSql(page: KeysetSqlFragment): string {
  return `SELECT n.id, 'stream-started' AS kind, n.stream_id AS "streamId", s.user_id AS "streamerId",
       p.display_name AS "streamerName", s.title, s.status AS "streamStatus",
       to_char(n.created_at AT TIME ZONE 'UTC', ${ISO}) AS "createdAt",
       to_char(n.read_at AT TIME ZONE 'UTC', ${ISO}) AS "readAt", ${page.select}
  FROM notifications n
  JOIN streams s ON s.id = n.stream_id
  JOIN profiles p ON p.user_id = s.user_id
 WHERE n.user_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}

/** Idempotent: a notice read before keeps its first read time. Only the member's own notice matches. */
export const MARK_READ_SQL = `
UPDATE notifications SET read_at = coalesce(read_at, now())
 WHERE id = $1 AND user_id = $2 RETURNING id`;
