import { AddOutboxCompletion1780000000000, CreateOutboxTables1767225600000 } from '@remedy/outbox';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Go-live notices (livestream:C1) and the transactional outbox that carries a go-live to the worker.
 *   notifications_user_stream_key  one notice per follower and stream: a retried batch inserts with
 *                                  ON CONFLICT DO NOTHING, so nobody is notified twice (and its index finds a
 *                                  batch's rows still to push)
 *   notifications_user_created_idx GET /notifications, keyset on (created_at, id) DESC for one member
 *   notifications_stream_idx       the FK to streams (a deleted stream's notices go with it)
 * `pushed_at` is set once a notice went out over WebSocket and mobile push; a retried batch pushes only rows
 * without it. The outbox tables are the library's own (CreateOutboxTables + AddOutboxCompletion), created here
 * because this app's history starts after their timestamps.
 */
export class CreateGoLiveNotifications1790000005000 implements MigrationInterface {
  name = 'CreateGoLiveNotifications1790000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await new CreateOutboxTables1767225600000().up(queryRunner);
    await new AddOutboxCompletion1780000000000().up(queryRunner);
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        stream_id uuid NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        pushed_at timestamptz,
        read_at timestamptz,
        CONSTRAINT notifications_user_stream_key UNIQUE (user_id, stream_id)
      );
      CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC, id DESC);
      CREATE INDEX notifications_stream_idx ON notifications (stream_id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notifications');
    await new AddOutboxCompletion1780000000000().down(queryRunner);
    await new CreateOutboxTables1767225600000().down(queryRunner);
  }
}
