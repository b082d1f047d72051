import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * livestream:C2 — the design's tables (Section 4.2) have "no index definitions beyond primary keys": follows
 * is keyed by its own id, so neither "who follows X" nor "whom does X follow" has an index, and streams has none
 * on user_id or status. Applied after the app's migrations, this turns the schema back into the review's; the
 * proof then drives the same routes and reads the plans of the statements the app ran.
 */
export class ReviewedSchemaWithoutIndexes1799999999999 implements MigrationInterface {
  name = 'ReviewedSchemaWithoutIndexes1799999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX follows_following_created_idx, follows_follower_created_idx,
                 streams_live_started_idx, streams_user_started_idx;
      ALTER TABLE follows DROP CONSTRAINT follows_pkey, ADD COLUMN id bigserial PRIMARY KEY;
    `);
  }

  down(): Promise<void> {
    return Promise.reject(new Error('a kata schema is thrown away with its database'));
  }
}

/* Close cousin, put back into the remediated schema: the followers index alone is missing. */
export class WithoutFollowersIndex1799999999999 implements MigrationInterface {
  name = 'WithoutFollowersIndex1799999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX follows_following_created_idx');
  }

  down(): Promise<void> {
    return Promise.reject(new Error('a kata schema is thrown away with its database'));
  }
}
