import { queryRows, writeOutboxMessages, type SqlExecutor } from '@remedy/outbox';
import { REGISTRATION_TOPICS, type RegistrationMessage } from './registration-topics.js';

/*
 * Every live registration of a cancelled event is cancelled (version + 1, like any transition, so a
 * check-in that read the old version loses its optimistic UPDATE and re-reads a cancelled row: 409). The
 * seats go back to remaining_capacity; checked-in registrations stay what they are (terminal, ADR 0011).
 */
const CANCEL_REGISTRATIONS_SQL = `
WITH target AS (
  SELECT id, event_starts_at, status FROM registrations
   WHERE event_id = $1 AND status IN ('registered', 'waitlisted')
   FOR UPDATE
),
cancelled AS (
  UPDATE registrations r
     SET status = 'cancelled', version = r.version + 1, cancelled_at = now(), updated_at = now()
    FROM target
   WHERE r.id = target.id AND r.event_starts_at = target.event_starts_at
  RETURNING r.id, r.user_id, target.status AS previous
),
seats AS (
  UPDATE events
     SET remaining_capacity = remaining_capacity + (SELECT count(*) FROM cancelled WHERE previous = 'registered')
   WHERE id = $1
  RETURNING id
)
SELECT id, user_id FROM cancelled`;

/**
 * The registrations' side of cancelling an event, on the caller's transaction (the one that sets the
 * event's status): cancel them all and leave one `registration.event-cancelled` outbox message per
 * attendee, so each gets an e-mail through the usual outbox → worker path. Returns how many were cancelled.
 */
export async function cancelEventRegistrations(executor: SqlExecutor, eventId: string): Promise<number> {
  const cancelled = await queryRows<{ id: string; user_id: string }>(executor, CANCEL_REGISTRATIONS_SQL, [
    eventId,
  ]);
  const messages = cancelled.map((row) => {
    const payload: RegistrationMessage = { registrationId: row.id, eventId, userId: row.user_id };
    return { topic: REGISTRATION_TOPICS.eventCancelled, payload };
  });
  await writeOutboxMessages(executor, messages, { notify: false });
  return cancelled.length;
}
