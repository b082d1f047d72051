import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_DROP_SQL, OUTBOX_SCHEMA_SQL } from './outbox-schema.js';

/** Lists in an app's TypeORM `migrations` so the outbox tables ship with the app's own schema history. */
export class CreateOutboxTables1767225600000 implements MigrationInterface {
  name = 'CreateOutboxTables1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_SCHEMA_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OUTBOX_DROP_SQL);
  }
}
