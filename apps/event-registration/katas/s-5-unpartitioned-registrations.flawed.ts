import type pg from 'pg';

/*
 * The reviewed Section 7.4: "registrations, survey_responses … are kept indefinitely". One heap table that
 * only grows, no partitioning, no retention job: a query for this month's registrations reads the whole
 * history, and nothing ever leaves.
 */

/** Puts the review's registrations table in place of the partitioned one (set aside, unused). */
export async function useUnpartitionedRegistrations(pool: pg.Pool): Promise<void> {
  await pool.query('ALTER TABLE registrations RENAME TO registrations_partitioned_unused');
  await pool.query(`
    CREATE TABLE registrations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      event_id uuid NOT NULL REFERENCES events (id),
      user_id uuid NOT NULL REFERENCES users (id),
      event_starts_at timestamptz NOT NULL,
      status text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now(),
      checked_in_at timestamptz,
      UNIQUE (event_id, user_id)
    )`);
}

/** The review's data lifecycle: no maintenance at all, every row stays. */
export const keepForever = {
  runOnce(): Promise<[]> {
    return Promise.resolve([]);
  },
};
