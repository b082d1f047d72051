import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { PRIMARY_POOL } from '../registrations/primary-pool.provider.js';
import type { ReminderDestination } from './reminder-queue.js';

const BATCH_ROWS = 5_000;

/*
 * events:C-2. One join instead of 1 + N + N×M queries: tomorrow's published events, their registered
 * attendees and their addresses. The event_starts_at bounds let Postgres prune to tomorrow's partition;
 * keyset on the registration id pages through very large days 5,000 rows a query.
 */
const TOMORROW_DESTINATIONS_SQL = `
SELECT r.id AS "registrationId", u.email, u.name, coalesce(e.title, 'your event') AS "eventTitle",
       to_char(e.start_datetime AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS "startsAt",
       coalesce(e.venue, 'to be announced') AS venue
  FROM registrations r
  JOIN events e ON e.id = r.event_id
  JOIN users u ON u.id = r.user_id
 WHERE r.event_starts_at >= $1 AND r.event_starts_at < $2
   AND e.start_datetime >= $1 AND e.start_datetime < $2
   AND e.status = 'published' AND r.status = 'registered'
   AND r.id > $3
 ORDER BY r.id
 LIMIT ${BATCH_ROWS}`;

const BEFORE_ANY_UUID = '00000000-0000-0000-0000-000000000000';

/** Reads the reminder destinations of one UTC day in a constant number of queries (⌈rows / 5,000⌉ + 1 at most). */
@Injectable()
export class ReminderCollectorService {
  constructor(@Inject(PRIMARY_POOL) private readonly pool: pg.Pool) {}

  async *destinations(date: string): AsyncGenerator<ReminderDestination[]> {
    const from = new Date(`${date}T00:00:00.000Z`);
    const to = new Date(from.getTime() + 24 * 3_600_000);
    let after = BEFORE_ANY_UUID;
    for (;;) {
      const { rows } = await this.pool.query<ReminderDestination>(TOMORROW_DESTINATIONS_SQL, [
        from,
        to,
        after,
      ]);
      if (rows.length > 0) yield rows;
      if (rows.length < BATCH_ROWS) return;
      after = rows[rows.length - 1]!.registrationId;
    }
  }
}

export function dayAfter(timestampMs: number): string {
  return new Date(timestampMs + 24 * 3_600_000).toISOString().slice(0, 10);
}
