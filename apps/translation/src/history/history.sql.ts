import type { KeysetSqlFragment } from '@remedy/pagination';

const HISTORY_COLUMNS = `h.id, h.session_id AS "sessionId", h.source_language AS "sourceLanguage",
  h.target_language AS "targetLanguage", h.source_text AS "sourceText", h.translated_text AS "translatedText",
  h.engine, to_char(h.translated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "translatedAt"`;

/**
 * One batch's translations in one statement: $1 organisation, $2 session (or null), $3/$4 the pair, then the
 * parallel arrays of source texts, translations and who answered, and $8 the chat message they translate (or
 * null: what participants rate, polyglot-a:MI-3). A session is recorded only when it belongs
 * to the organisation, so no caller can write into another organisation's history.
 */
export const RECORD_HISTORY_SQL = `
INSERT INTO translation_history
  (organisation_id, session_id, source_language, target_language, source_text, translated_text, engine,
   chat_message_id)
SELECT $1, $2, $3, $4, t.source_text, t.translated_text, t.engine, $8
  FROM unnest($5::text[], $6::text[], $7::text[]) AS t (source_text, translated_text, engine)
 WHERE $2::uuid IS NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.id = $2 AND s.organisation_id = $1)`;

/**
 * A session's history newest first, one keyset page, bounded below by `$2` (the start of the hot window) so
 * the planner prunes every partition older than it.
 */
export function historyPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${HISTORY_COLUMNS}, ${page.select}
  FROM translation_history h
 WHERE h.session_id = $1 AND h.translated_at >= $2 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
