import type { KeysetSqlFragment } from '@remedy/pagination';

/*
 * The follow lists' SQL, one statement per page with the other user's profile joined in. `f.following_id = $1`
 * (followers) and `f.follower_id = $1` (following) lead the two follows indexes; the keyset fragment seeks past
 * the cursor on the index order, so a deep page costs what the first one does.
 */
export function followersPageSql(page: KeysetSqlFragment): string {
  return `SELECT f.follower_id AS "userId", p.username, p.display_name AS "displayName", p.avatar_url AS "avatarUrl",
       to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "followedAt", ${page.select}
  FROM follows f JOIN profiles p ON p.user_id = f.follower_id
 WHERE f.following_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}

export function followingPageSql(page: KeysetSqlFragment): string {
  return `SELECT f.following_id AS "userId", p.username, p.display_name AS "displayName", p.avatar_url AS "avatarUrl",
       to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "followedAt", ${page.select}
  FROM follows f JOIN profiles p ON p.user_id = f.following_id
 WHERE f.follower_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
