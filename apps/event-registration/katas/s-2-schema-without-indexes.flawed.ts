import type pg from 'pg';

/*
 * The reviewed schema (Section 4.1, lines 72-113) "defines tables but does not specify indexes": primary
 * keys only. Applied to a database built from the app's migrations, this takes away every secondary index
 * and unique key, leaving the tables as the review found them.
 */
export async function useSchemaWithoutIndexes(pool: pg.Pool): Promise<void> {
  await pool.query(`
    DROP INDEX events_status_start_idx, events_published_category_idx, events_start_idx, events_organiser_idx,
               registrations_event_status_idx, registrations_user_idx, survey_responses_event_submitted_idx;
    ALTER TABLE registrations DROP CONSTRAINT registrations_one_per_user_per_event;
    ALTER TABLE survey_responses DROP CONSTRAINT survey_responses_one_per_user_per_event;
  `);
}
