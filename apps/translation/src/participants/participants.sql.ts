import type { KeysetSqlFragment } from '@remedy/pagination';

/*
 * The participants table's statements. participants_pkey (session_id, user_id) INCLUDE (language) makes a second
 * row for one user in one session impossible and serves every look-up here from the index alone (polyglot-a:M-2,
 * polyglot-a:S-4). Writes are wrapped in CTEs so they return rows like a SELECT does; `changed` is true when the
 * statement inserted the row (xmax = 0) or changed its language.
 */
const PARTICIPANT_COLUMNS = `session_id AS "sessionId", user_id AS "userId", language,
  to_char(joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "joinedAt"`;

/** $1 session, $2 user, $3 language: a first join inserts, a join in another language switches it. */
export const JOIN_SQL = `
WITH joined AS (
  INSERT INTO participants (session_id, user_id, language) VALUES ($1, $2, $3)
  ON CONFLICT (session_id, user_id) DO UPDATE SET language = EXCLUDED.language
   WHERE participants.language <> EXCLUDED.language
  RETURNING *
)
SELECT ${PARTICIPANT_COLUMNS}, true AS changed FROM joined`;

/**
 * A replay of a join already seen (same idempotency key): inserts if the original has not, never changes the
 * language, so a late duplicate of an old join cannot undo a newer one.
 */
export const JOIN_REPLAY_SQL = `
WITH joined AS (
  INSERT INTO participants (session_id, user_id, language) VALUES ($1, $2, $3)
  ON CONFLICT (session_id, user_id) DO NOTHING
  RETURNING *
)
SELECT ${PARTICIPANT_COLUMNS}, true AS changed FROM joined`;

export const PARTICIPANT_SQL = `
SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE session_id = $1 AND user_id = $2`;

export const LEAVE_SQL = `
WITH left_session AS (DELETE FROM participants WHERE session_id = $1 AND user_id = $2 RETURNING *)
SELECT ${PARTICIPANT_COLUMNS} FROM left_session`;

/** The target languages of a session and how many follow each: what a message is translated into. */
export const SESSION_LANGUAGES_SQL = `
SELECT language, count(*)::int AS participants FROM participants WHERE session_id = $1
 GROUP BY language ORDER BY language`;

/** A session's participants by user id, one keyset page (participants_pkey order). */
export function participantsPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${PARTICIPANT_COLUMNS}, ${page.select}
  FROM participants p WHERE p.session_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
