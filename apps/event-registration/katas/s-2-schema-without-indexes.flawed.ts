import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The reviewed schema (Section 4.1, lines 72-113) "defines tables but does not specify indexes": primary
 * keys only. As a migration appended to the app's own set, it takes away every secondary index and unique
 * key the schema migration made, leaving the tables as the review found them (events:S-2's flawed run).
 */
export class ReviewedSchemaWithoutIndexes1779999999999 implements MigrationInterface {
  name = 'ReviewedSchemaWithoutIndexes1779999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX events_status_start_idx, events_published_category_idx, events_start_idx, events_organiser_idx,
                 registrations_event_status_idx, registrations_user_idx, survey_responses_event_submitted_idx;
      ALTER TABLE registrations DROP CONSTRAINT registrations_one_per_user_per_event;
      ALTER TABLE survey_responses DROP CONSTRAINT survey_responses_one_per_user_per_event;
    `);
  }

  down(): Promise<void> {
    return Promise.reject(new Error('the reviewed schema is a kata: rebuild the database instead'));
  }
}

/**
 * A flaw put back for events:S-2: the schema as shipped but for registrations_event_status_idx, the index
 * the unique key (event_id, user_id, event_starts_at) can stand in for, so a check that accepted "any index"
 * would stay green.
 */
export class WithoutRegistrationsEventStatusIndex1779999999999 implements MigrationInterface {
  name = 'WithoutRegistrationsEventStatusIndex1779999999999';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX registrations_event_status_idx');
  }

  down(): Promise<void> {
    return Promise.reject(new Error('a kata: rebuild the database instead'));
  }
}
