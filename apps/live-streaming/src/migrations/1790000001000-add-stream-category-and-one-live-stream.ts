import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Streams get the category a streamer picks when going live, and Postgres enforces one live stream per
 * streamer: two concurrent "go live" requests cannot both insert (the loser gets 23505 → 409). The partial
 * unique index also answers "is this streamer live?" by user_id. Rows that existed before take 'other'.
 */
export class AddStreamCategoryAndOneLiveStream1790000001000 implements MigrationInterface {
  name = 'AddStreamCategoryAndOneLiveStream1790000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE streams ADD COLUMN category text NOT NULL DEFAULT 'other';
      ALTER TABLE streams ALTER COLUMN category DROP DEFAULT;
      CREATE UNIQUE INDEX streams_one_live_per_user_key ON streams (user_id) WHERE status = 'live';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX streams_one_live_per_user_key;
      ALTER TABLE streams DROP COLUMN category;
    `);
  }
}
