import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REFRESH_TOKEN_DROP_SQL, REFRESH_TOKEN_SCHEMA_SQL } from './refresh-token-schema.js';

/** Listed in an app's TypeORM `migrations` so the refresh token table ships with the app's schema history. */
export class CreateRefreshTokenTables1767312000000 implements MigrationInterface {
  name = 'CreateRefreshTokenTables1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(REFRESH_TOKEN_SCHEMA_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(REFRESH_TOKEN_DROP_SQL);
  }
}
