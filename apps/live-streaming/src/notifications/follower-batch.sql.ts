/*
 * The fan-out's SQL. A page of followers walks follows_following_created_idx (following_id, created_at DESC,
 * follower_id DESC) from the last follower of the previous page, so every page is one index range scan of
 * `limit` entries however many followers came before. created_at travels as text: a JS Date would drop its
 * microseconds and the next page would skip or repeat followers at the boundary.
 */
export const FIRST_FOLLOWER_PAGE_SQL = `
SELECT follower_id AS "followerId", created_at::text AS "createdAt"
  FROM follows WHERE following_id = $1
 ORDER BY created_at DESC, follower_id DESC LIMIT $2`;

export const NEXT_FOLLOWER_PAGE_SQL = `
SELECT follower_id AS "followerId", created_at::text AS "createdAt"
  FROM follows WHERE following_id = $1 AND (created_at, follower_id) < ($3::timestamptz, $4::uuid)
 ORDER BY created_at DESC, follower_id DESC LIMIT $2`;

/** The streamer's name for the notice's wording, read once per go-live. */
export const STREAMER_NAME_SQL = `SELECT p.display_name AS "displayName" FROM profiles p WHERE p.user_id = $1`;

/**
 * A batch's notices in one statement. The unique (user_id, stream_id) key with ON CONFLICT DO NOTHING is what
 * makes a retried batch harmless: the rows a failed attempt stored stay, and nobody gets a second one. A
 * follower whose account is gone meanwhile is skipped by the join rather than failing the batch.
 */
export const INSERT_NOTICES_SQL = `
INSERT INTO notifications (user_id, stream_id)
SELECT u.id, $2::uuid FROM users u WHERE u.id = ANY($1::uuid[])
ON CONFLICT (user_id, stream_id) DO NOTHING`;

/** The batch's notices not pushed yet: all of them on a first attempt, what is left on a retry. */
export const UNPUSHED_NOTICES_SQL = `
SELECT n.id, n.user_id AS "userId", n.created_at AS "createdAt"
  FROM notifications n
 WHERE n.stream_id = $2::uuid AND n.user_id = ANY($1::uuid[]) AND n.pushed_at IS NULL`;

export const MARK_PUSHED_SQL = `UPDATE notifications SET pushed_at = now() WHERE id = ANY($1::uuid[])`;
