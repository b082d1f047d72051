import type { KeysetSqlFragment } from '@remedy/pagination';

/*
 * Streams with their streamer's profile joined in the same statement (livestream:S3): a page of 100 is one
 * query, never one more per stream. Instants leave Postgres as ISO text, the streamer as one JSON object.
 */
const STREAM_COLUMNS = `s.id, s.title, s.category, s.status,
       to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "startedAt",
       to_char(s.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "endedAt",
       json_build_object('userId', p.user_id, 'username', p.username, 'displayName', p.display_name,
                         'avatarUrl', p.avatar_url) AS streamer`;

/** The live list: `status = 'live'` matches streams_live_started_idx's predicate. */
export function liveStreamsPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${STREAM_COLUMNS}, ${page.select}
  FROM streams s JOIN profiles p ON p.user_id = s.user_id
 WHERE s.status = 'live' AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}

/** A streamer's ended streams ($1: the streamer), through streams_user_started_idx. */
export function pastStreamsPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${STREAM_COLUMNS}, ${page.select}
  FROM streams s JOIN profiles p ON p.user_id = s.user_id
 WHERE s.user_id = $1 AND s.status = 'ended' AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}

/** One stream by id ($1). */
export const STREAM_BY_ID_SQL = `SELECT ${STREAM_COLUMNS}
  FROM streams s JOIN profiles p ON p.user_id = s.user_id
 WHERE s.id = $1`;
