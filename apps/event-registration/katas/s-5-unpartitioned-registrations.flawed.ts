import type pg from 'pg';

/*
 * The reviewed Section 7.4: "registrations, survey_responses … are kept indefinitely". One heap table that
 * only grows, no partitioning, no retention job: a query for this month's registrations reads the whole
 * history, and nothing ever leaves.
 */
export const UNPARTITIONED_REGISTRATIONS = 'registrations_kept_forever';

export async function createUnpartitionedRegistrations(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE ${UNPARTITIONED_REGISTRATIONS} (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES events (id),
      user_id uuid NOT NULL REFERENCES users (id),
      event_starts_at timestamptz NOT NULL,
      status text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now(),
      checked_in_at timestamptz
    )`);
}
