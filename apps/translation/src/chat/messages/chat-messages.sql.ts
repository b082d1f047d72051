/**
 * Stores a message once per (session, author, clientMessageId), only for a participant of the session, in the
 * author's participant language, and returns what its delivery needs besides what the author sent (the stored
 * language and time, the session's organisation), so the job can carry the message and the worker need not read
 * it back (ADR 0089). Returns nothing on a resend (see EXISTING_CHAT_MESSAGE_SQL) or for a non-participant.
 */
export const INSERT_CHAT_MESSAGE_SQL = `
INSERT INTO chat_messages (session_id, author_id, client_message_id, source_language, text)
SELECT p.session_id, p.user_id, $3, p.language, $4 FROM participants p WHERE p.session_id = $1 AND p.user_id = $2
ON CONFLICT ON CONSTRAINT chat_messages_client_key DO NOTHING
RETURNING id, delivered_at, source_language, created_at,
          (SELECT s.organisation_id FROM sessions s WHERE s.id = chat_messages.session_id) AS organisation_id`;

export const EXISTING_CHAT_MESSAGE_SQL = `
SELECT id, delivered_at FROM chat_messages WHERE session_id = $1 AND author_id = $2 AND client_message_id = $3`;

/**
 * A message with what its translation needs: the session's organisation (glossaries, quota, cache scope). Read
 * only for a job that does not carry its message or may have run before (ADR 0089).
 */
export const CHAT_MESSAGE_FOR_DELIVERY_SQL = `
SELECT m.id, m.session_id, m.author_id, m.client_message_id, m.source_language, m.text, m.created_at,
       m.delivered_at, s.organisation_id
  FROM chat_messages m JOIN sessions s ON s.id = m.session_id
 WHERE m.id = $1`;

export const MARK_CHAT_MESSAGE_DELIVERED_SQL = `
UPDATE chat_messages SET delivered_at = now() WHERE id = $1 AND delivered_at IS NULL`;

/** The sweep: undelivered messages older than $1 ms, oldest first (chat_messages_undelivered_idx). */
export const UNDELIVERED_CHAT_MESSAGES_SQL = `
SELECT id FROM chat_messages
 WHERE delivered_at IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)
 ORDER BY created_at LIMIT $2`;
