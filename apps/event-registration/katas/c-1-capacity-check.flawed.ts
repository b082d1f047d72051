import type pg from 'pg';

/*
 * events:C-1 — the review's registration flow (Section 6.1, lines 188-205), check-then-act with no lock
 * and no transaction isolation:
 *
 *   const registrations = await registrationRepository.findByEventId(eventId);
 *   if (registrations.length >= event.capacity) throw new Error('Event is full');
 *   const registration = await registrationRepository.create({...});
 *
 * Every concurrent caller reads the same count before any insert commits, so all of them pass the check.
 */
export class EventFullError extends Error {}

export async function registerWithCountCheck(
  pool: pg.Pool,
  eventId: string,
  userId: string,
): Promise<string> {
  const event = (
    await pool.query<{ capacity: number; start_datetime: Date }>(
      'SELECT capacity, start_datetime FROM events WHERE id = $1',
      [eventId],
    )
  ).rows[0];
  if (!event) throw new Error(`event ${eventId} not found`);
  const registrations = await pool.query(
    "SELECT * FROM registrations WHERE event_id = $1 AND status = 'registered'",
    [eventId],
  );
  if (registrations.rows.length >= event.capacity) throw new EventFullError('Event is full');
  const created = await pool.query<{ id: string }>(
    `INSERT INTO registrations (event_id, user_id, event_starts_at, status) VALUES ($1, $2, $3, 'registered') RETURNING id`,
    [eventId, userId, event.start_datetime],
  );
  return created.rows[0]!.id;
}
