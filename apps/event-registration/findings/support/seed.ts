import type { INestApplication } from '@nestjs/common';
import { TokenService } from '@remedy/auth';
import type pg from 'pg';

export interface SeededUser {
  id: string;
  role: 'attendee' | 'organiser';
  department: string;
}

/** Inserts users straight into the database (set-based, so thousands take milliseconds). */
export async function seedUsers(
  pool: pg.Pool,
  count: number,
  options: { role?: SeededUser['role']; departments?: readonly string[]; tag?: string } = {},
): Promise<SeededUser[]> {
  const role = options.role ?? 'attendee';
  const departments = options.departments ?? ['Sales', 'Engineering', 'Finance', 'HR', 'Legal'];
  const tag = options.tag ?? `${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const { rows } = await pool.query<SeededUser>(
    `INSERT INTO users (email, name, department, role, password_hash)
     SELECT $1 || '-' || g || '@example.com', 'User ' || g, ($2::text[])[1 + (g - 1) % array_length($2::text[], 1)], $3, 'seeded-no-login'
       FROM generate_series(1, $4) AS g
     RETURNING id, role, department`,
    [tag, departments, role, count],
  );
  return rows;
}

export interface SeededEvent {
  id: string;
  startsAt: Date;
}

/**
 * Inserts events straight into the database: `count` published events of `organiserId`, one hour apart
 * from `firstStart`, cycling through `categories`.
 */
export async function seedEvents(
  pool: pg.Pool,
  organiserId: string,
  count: number,
  options: { firstStart?: Date; categories?: readonly string[]; capacity?: number; status?: string } = {},
): Promise<SeededEvent[]> {
  const firstStart = options.firstStart ?? new Date(Date.now() + 7 * 86_400_000);
  const { rows } = await pool.query<SeededEvent>(
    `INSERT INTO events (organiser_id, title, category, status, start_datetime, end_datetime, capacity, remaining_capacity, venue, description)
     SELECT $1, 'Event ' || g, ($2::text[])[1 + (g - 1) % array_length($2::text[], 1)], $3,
            $4::timestamptz + (g - 1) * interval '1 hour', $4::timestamptz + (g - 1) * interval '1 hour' + interval '2 hours',
            $5, $5, 'Hall ' || (g % 7), repeat('An event about things. ', 4)
       FROM generate_series(1, $6) AS g
     RETURNING id, start_datetime AS "startsAt"`,
    [
      organiserId,
      options.categories ?? ['seminar', 'workshop', 'social'],
      options.status ?? 'published',
      firstStart,
      options.capacity ?? 200,
      count,
    ],
  );
  return rows;
}

/**
 * Registers users for an event straight in SQL, with statuses in a fixed rotation (every 10th cancelled,
 * every 7th waitlisted, every 3rd checked in), and seats taken off remaining_capacity.
 */
export async function seedRegistrations(
  pool: pg.Pool,
  eventId: string,
  userIds: readonly string[],
): Promise<void> {
  await pool.query(
    `WITH input AS (
       SELECT u.id AS user_id, u.n FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, n)
     ), inserted AS (
       INSERT INTO registrations (event_id, user_id, event_starts_at, status, checked_in_at, cancelled_at)
       SELECT e.id, input.user_id, e.start_datetime,
              CASE WHEN input.n % 10 = 0 THEN 'cancelled' WHEN input.n % 7 = 0 THEN 'waitlisted'
                   WHEN input.n % 3 = 0 THEN 'checked_in' ELSE 'registered' END,
              CASE WHEN input.n % 10 <> 0 AND input.n % 7 <> 0 AND input.n % 3 = 0 THEN e.start_datetime END,
              CASE WHEN input.n % 10 = 0 THEN now() END
         FROM input CROSS JOIN events e WHERE e.id = $1
       RETURNING status
     )
     UPDATE events SET remaining_capacity = capacity - (SELECT count(*) FROM inserted WHERE status IN ('registered', 'checked_in'))
      WHERE id = $1`,
    [eventId, userIds],
  );
}

/** A bearer header for a seeded user, minted by the app's own TokenService. */
export async function bearer(
  app: INestApplication,
  user: Pick<SeededUser, 'id' | 'role'>,
): Promise<Record<string, string>> {
  const session = await app.get(TokenService).startSession({ id: user.id, role: user.role });
  return { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' };
}
