import type pg from 'pg';

export interface SeededEvent {
  id: string;
  startsAt: Date;
}

export interface EventSeed {
  organiserId: string;
  capacity: number;
  /** Default: tomorrow 10:00 UTC. */
  startsAt?: Date;
  status?: 'draft' | 'published' | 'cancelled';
  title?: string;
}

export function tomorrowAt(hourUtc: number, now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, hourUtc));
}

/** A published event (as the events API would leave it) with every seat free. */
export async function seedEvent(pool: pg.Pool, seed: EventSeed): Promise<SeededEvent> {
  const startsAt = seed.startsAt ?? tomorrowAt(10);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO events (organiser_id, title, category, status, start_datetime, end_datetime, venue, capacity, remaining_capacity)
     VALUES ($1, $2, 'seminar', $3, $4, $4::timestamptz + interval '2 hours', 'Hall A', $5, $5)
     RETURNING id`,
    [seed.organiserId, seed.title ?? 'Seminar', seed.status ?? 'published', startsAt, seed.capacity],
  );
  return { id: rows[0]!.id, startsAt };
}

/** Registers `userIds` for the event in one statement, as the API would (status registered, seats taken). */
export async function seedRegistrations(
  pool: pg.Pool,
  event: SeededEvent,
  userIds: string[],
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH inserted AS (
       INSERT INTO registrations (event_id, user_id, event_starts_at, status)
       SELECT $1, user_id, $2, 'registered' FROM unnest($3::uuid[]) AS user_id
       RETURNING id
     ), seats AS (
       UPDATE events SET remaining_capacity = remaining_capacity - (SELECT count(*) FROM inserted) WHERE id = $1
     )
     SELECT id FROM inserted`,
    [event.id, event.startsAt, userIds],
  );
  return rows.map((row) => row.id);
}

/** The event's seats left, as the database holds them. */
export async function remainingCapacity(pool: pg.Pool, eventId: string): Promise<number> {
  const { rows } = await pool.query<{ remaining: number }>(
    'SELECT remaining_capacity AS remaining FROM events WHERE id = $1',
    [eventId],
  );
  return rows[0]!.remaining;
}
