import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * An expand step (events:m-3, ADR 0006): a new column with a constant default, so the release still
 * running during a blue-green switch keeps working: its INSERTs omit the column and get the default, its
 * SELECTs name their columns. On PostgreSQL 11+ a constant default is stored in the catalog, so this takes
 * no table rewrite and only a brief lock. Renames and drops wait for a later contract step, once no running
 * release reads the old shape.
 */
export class AddEventTimezone1779100000000 implements MigrationInterface {
  name = 'AddEventTimezone1779100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events ADD COLUMN timezone text NOT NULL DEFAULT 'UTC'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE events DROP COLUMN timezone');
  }
}
