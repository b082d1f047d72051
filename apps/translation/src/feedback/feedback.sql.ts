const FEEDBACK_COLUMNS = `id, session_id AS "sessionId", chat_message_id AS "messageId", history_id AS "historyId",
  source_language AS "sourceLanguage", target_language AS "targetLanguage", engine, rating, comment,
  to_char(rated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "ratedAt"`;

/**
 * $1 session, $2 message, $3 the caller's organisation, $4 the caller, $5 rating, $6 comment, $7 the start of the
 * history's hot window. The row rated is the newest history row of the message in the caller's participant
 * language (a redelivered message may have two): found through translation_history_message_idx in the hot
 * partitions only, since an archived day can no longer be read. Nothing is inserted when the caller is not a
 * participant, the message is not the session's, or it was never translated into that language (the author's
 * own). A second rating of the same translation by the same participant replaces the first.
 */
export const RATE_TRANSLATION_SQL = `
INSERT INTO translation_feedback AS f
  (organisation_id, session_id, chat_message_id, user_id, history_id, history_translated_at, source_language,
   target_language, engine, rating, comment)
SELECT s.organisation_id, m.session_id, m.id, p.user_id, h.id, h.translated_at, h.source_language,
       h.target_language, h.engine, $5::smallint, $6::text
  FROM chat_messages m
  JOIN sessions s ON s.id = m.session_id AND s.organisation_id = $3
  JOIN participants p ON p.session_id = m.session_id AND p.user_id = $4
  CROSS JOIN LATERAL (
    SELECT h.id, h.translated_at, h.source_language, h.target_language, h.engine
      FROM translation_history h
     WHERE h.chat_message_id = m.id AND h.target_language = p.language
       AND h.translated_at >= $7 AND h.translated_at >= m.created_at
     ORDER BY h.translated_at DESC LIMIT 1) h
 WHERE m.id = $2 AND m.session_id = $1
ON CONFLICT ON CONSTRAINT translation_feedback_rating_key DO UPDATE
   SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, rated_at = now(),
       history_id = EXCLUDED.history_id, history_translated_at = EXCLUDED.history_translated_at,
       engine = EXCLUDED.engine
RETURNING ${FEEDBACK_COLUMNS}`;

/**
 * $1 organisation, [$2, $3) the rating times: one group per language pair and engine. An index-only scan of
 * translation_feedback_quality_idx: the range is its second column and the grouped columns are included.
 */
export const QUALITY_SQL = `
SELECT f.source_language AS "sourceLanguage", f.target_language AS "targetLanguage", f.engine,
       count(*)::int AS ratings, round(avg(f.rating), 2)::float8 AS "averageRating",
       count(*) FILTER (WHERE f.rating <= 2)::int AS "lowRatings"
  FROM translation_feedback f
 WHERE f.organisation_id = $1 AND f.rated_at >= $2 AND f.rated_at < $3
 GROUP BY f.source_language, f.target_language, f.engine
 ORDER BY f.source_language, f.target_language, f.engine`;
