import type pg from 'pg';
import { seedAttendees, seedOrganiser } from './seed-users.js';

export interface ReminderDay {
  /** YYYY-MM-DD (UTC) of the seeded events. */
  date: string;
  events: number;
  registrations: number;
}

/**
 * `events` published events tomorrow (UTC), each with `perEvent` registered attendees (distinct users),
 * in three statements. Rows land in tomorrow's partition, as the API would put them.
 */
export async function seedReminderDay(
  pool: pg.Pool,
  events: number,
  perEvent: number,
  tag: string,
): Promise<ReminderDay> {
  const organiserId = await seedOrganiser(pool, `${tag}-organiser@example.com`);
  const users = await seedAttendees(pool, events * perEvent, tag);
  const now = new Date();
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const { rows } = await pool.query<{ id: string; start_datetime: Date }>(
    `INSERT INTO events (organiser_id, title, category, status, start_datetime, end_datetime, venue, capacity, remaining_capacity)
     SELECT $1, 'Event ' || i, 'seminar', 'published', $2::timestamptz + (i % 600) * interval '1 minute',
            $2::timestamptz + (i % 600) * interval '1 minute' + interval '1 hour', 'Room ' || (i % 10), $3, 0
       FROM generate_series(1, $4) AS i
     RETURNING id, start_datetime`,
    [organiserId, new Date(day.getTime() + 8 * 3_600_000), perEvent, events],
  );
  await pool.query(
    `INSERT INTO registrations (event_id, user_id, event_starts_at, status)
     SELECT e.id, u.id, e.starts, 'registered'
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS e(id, starts, n)
       JOIN unnest($3::uuid[]) WITH ORDINALITY AS u(id, m) ON (u.m - 1) / $4 = e.n - 1`,
    [rows.map((r) => r.id), rows.map((r) => r.start_datetime), users, perEvent],
  );
  return { date: day.toISOString().slice(0, 10), events, registrations: events * perEvent };
}
