import type pg from 'pg';
import { seedEvents, seedRegistrations, seedUsers, type SeededUser } from './seed.js';

export const STATS_DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'HR', 'Legal'] as const;

/**
 * One big event (the S-1/M-3 scenario): `attendees` registrations over five departments in the fixed
 * status rotation of seedRegistrations, plus survey responses from every checked-in attendee.
 */
export async function seedStatsEvent(
  pool: pg.Pool,
  attendees: number,
): Promise<{ eventId: string; organiser: SeededUser }> {
  const [organiser] = (await seedUsers(pool, 1, { role: 'organiser' })) as [SeededUser];
  const [event] = await seedEvents(pool, organiser.id, 1, { capacity: attendees });
  const users = await seedUsers(pool, attendees, { departments: STATS_DEPARTMENTS });
  await seedRegistrations(
    pool,
    event!.id,
    users.map((user) => user.id),
  );
  await pool.query(
    `INSERT INTO survey_responses (event_id, user_id, event_starts_at, answers)
     SELECT event_id, user_id, event_starts_at, '[{"questionId":"overall","rating":4}]'::jsonb
       FROM registrations WHERE event_id = $1 AND status = 'checked_in'`,
    [event!.id],
  );
  return { eventId: event!.id, organiser };
}
