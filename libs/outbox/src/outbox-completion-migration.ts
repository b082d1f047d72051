import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_COMPLETION_DROP_SQL, OUTBOX_COMPLETION_SQL } from './outbox-completion-schema.js';

/** Expand-only: a nullable column and a partial index, listed after CreateOutboxTables1767225600000. */
export class AddOutboxCompletion1780000000000 implements MigrationInterface {
  name = 'AddOutboxCompletion1780000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_COMPLETION_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_COMPLETION_DROP_SQL);
  }
}
