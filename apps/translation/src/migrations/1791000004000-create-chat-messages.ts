import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Chat messages (polyglot-a:S-5, polyglot-b:C-4): the socket handler stores a message and acknowledges it; a
 * worker translates and delivers it. The row is the message's durable record, so an acknowledged message
 * survives a crash of either process or a queue Redis that lost its jobs: delivered_at stays NULL until every
 * language room got it, and the worker's sweep enqueues such rows again.
 *   chat_messages_client_key       a resend (same session, author and clientMessageId) is the same message
 *   chat_messages_undelivered_idx  the sweep's probe: only undelivered rows are in it
 */
export const CHAT_MESSAGES_SQL = `
CREATE TABLE chat_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  author_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_message_id text NOT NULL,
  source_language text NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  CONSTRAINT chat_messages_client_key UNIQUE (session_id, author_id, client_message_id)
);

CREATE INDEX chat_messages_undelivered_idx ON chat_messages (created_at) WHERE delivered_at IS NULL;
`;

export class CreateChatMessages1791000004000 implements MigrationInterface {
  name = 'CreateChatMessages1791000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CHAT_MESSAGES_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE chat_messages');
  }
}
