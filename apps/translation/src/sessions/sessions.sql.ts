import type { KeysetSqlFragment } from '@remedy/pagination';

/*
 * The sessions table's statements. Times leave Postgres as ISO 8601 text in UTC, so a session read from the
 * cache and one read from the table are the same JSON. Every statement that changes a session's status is one
 * conditional UPDATE: the condition is checked and the row changed under the row lock, so two concurrent
 * callers cannot both see "not ended yet" (polyglot-a:M-4). UPDATEs are wrapped in a CTE so they return rows
 * like a SELECT does.
 */
const iso = (column: string) =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END`;

export const SESSION_COLUMNS = `id, organisation_id AS "organisationId", organiser_id AS "organiserId", title,
  source_language AS "sourceLanguage", status, ${iso('created_at')} AS "createdAt",
  ${iso('started_at')} AS "startedAt", ${iso('ended_at')} AS "endedAt"`;

export const INSERT_SESSION_SQL = `
INSERT INTO sessions (organisation_id, organiser_id, title, source_language) VALUES ($1, $2, $3, $4)
RETURNING ${SESSION_COLUMNS}`;

export const SESSION_BY_ID_SQL = `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`;

/** $1 session, $2 organisation. Only a scheduled session starts; a live one is left as it is. */
export const START_SESSION_SQL = `
WITH started AS (
  UPDATE sessions SET status = 'live', started_at = now()
   WHERE id = $1 AND organisation_id = $2 AND status = 'scheduled'
  RETURNING *
)
SELECT ${SESSION_COLUMNS} FROM started`;

/** $1 session, $2 organisation. Ends a scheduled or live session once; an ended one matches no row. */
export const END_SESSION_SQL = `
WITH ended AS (
  UPDATE sessions SET status = 'ended', ended_at = now(), started_at = coalesce(started_at, now())
   WHERE id = $1 AND organisation_id = $2 AND status <> 'ended'
  RETURNING *
)
SELECT ${SESSION_COLUMNS} FROM ended`;

/** An organisation's sessions, newest first, one keyset page (sessions_organisation_created_idx). */
export function organisationSessionsPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${SESSION_COLUMNS}, ${page.select}
  FROM sessions s WHERE s.organisation_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
