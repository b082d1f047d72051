import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Translation quality feedback (polyglot-a:MI-3): a participant's rating of one translation of a chat message,
 * linked to the history row that recorded it.
 *
 * translation_history gains chat_message_id, so the row a participant rates is found from what the chat frame
 * carries (message id and language):
 *   translation_history_message_idx   the history rows of one message, per target language
 *
 * The link is (history_id, history_translated_at), the history table's primary key, copied by the INSERT that
 * reads the row, together with what the aggregate groups by (language pair, engine). It is not a FOREIGN KEY:
 * a key into translation_history would make PostgreSQL refuse to detach a day that has ratings, so the archive
 * job (ADR 0050) would stop at the first rated day. History rows are never updated and leave only with their
 * day, after it is archived; the rating stays (it is small and quality trends outlive 30 days), its link then
 * naming the row in that day's archive file.
 *   translation_feedback_rating_key   one rating per participant and translation: a second one replaces it
 *   translation_feedback_quality_idx  the aggregate: an organisation's ratings in a time range, index only
 */
export const TRANSLATION_FEEDBACK_SQL = `
ALTER TABLE translation_history ADD COLUMN chat_message_id uuid;

CREATE INDEX translation_history_message_idx
  ON translation_history (chat_message_id, target_language, translated_at DESC) WHERE chat_message_id IS NOT NULL;

CREATE TABLE translation_feedback (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  chat_message_id uuid NOT NULL REFERENCES chat_messages (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  history_id uuid NOT NULL,
  history_translated_at timestamptz NOT NULL,
  source_language text NOT NULL,
  target_language text NOT NULL,
  engine text NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment text,
  rated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT translation_feedback_rating_key UNIQUE (chat_message_id, target_language, user_id)
);

CREATE INDEX translation_feedback_quality_idx
  ON translation_feedback (organisation_id, rated_at) INCLUDE (source_language, target_language, engine, rating);
`;

export class CreateTranslationFeedback1791000008000 implements MigrationInterface {
  name = 'CreateTranslationFeedback1791000008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TRANSLATION_FEEDBACK_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE translation_feedback');
    await queryRunner.query('ALTER TABLE translation_history DROP COLUMN chat_message_id');
  }
}
