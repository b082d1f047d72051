import { queryRows, writeOutboxMessages, type SqlExecutor } from '@remedy/outbox';
import { REGISTRATION_TOPICS, type RegistrationMessage } from './registration-topics.js';

/*
 * Hands every free seat of a published event to the waitlist, oldest first, in one statement: as many
 * waitlisted registrations as remaining_capacity allows become registered and the seats are taken. SKIP
 * LOCKED so two concurrent promotions never promote the same person. The caller holds the event row lock
 * (FOR UPDATE / FOR NO KEY UPDATE): a newcomer's seat UPDATE and waitlist FOR SHARE in REGISTER_SQL wait for
 * it, then see the seats already taken, so nobody who arrives later can take a seat ahead of the waitlist.
 */
const PROMOTE_WAITLIST_SQL = `
WITH next AS (
  SELECT id, event_starts_at FROM registrations
   WHERE event_id = $1 AND status = 'waitlisted'
   ORDER BY registered_at, id
   LIMIT COALESCE((SELECT remaining_capacity FROM events WHERE id = $1 AND status = 'published'), 0)
   FOR UPDATE SKIP LOCKED
),
promoted AS (
  UPDATE registrations r
     SET status = 'registered', version = r.version + 1, updated_at = now()
    FROM next
   WHERE r.id = next.id AND r.event_starts_at = next.event_starts_at
  RETURNING r.id, r.user_id, r.registered_at
),
seats AS (
  UPDATE events SET remaining_capacity = remaining_capacity - (SELECT count(*) FROM promoted), updated_at = now()
   WHERE id = $1 AND EXISTS (SELECT 1 FROM promoted)
  RETURNING id
)
SELECT id, user_id FROM promoted ORDER BY registered_at, id`;

/**
 * Fills whatever seats are free from the waitlist (a cancellation, a capacity raise: any cause) and writes
 * one `registration.promoted` outbox message per promotion, on the caller's transaction. Returns how many
 * were promoted. Every path that frees a seat calls this before it commits, so `remaining_capacity > 0`
 * never coexists with a waitlisted registration.
 */
export async function promoteWaitlist(executor: SqlExecutor, eventId: string): Promise<number> {
  const promoted = await queryRows<{ id: string; user_id: string }>(executor, PROMOTE_WAITLIST_SQL, [
    eventId,
  ]);
  const messages = promoted.map((row) => {
    const payload: RegistrationMessage = { registrationId: row.id, eventId, userId: row.user_id };
    return { topic: REGISTRATION_TOPICS.promoted, payload };
  });
  // No NOTIFY, like every registration write: the relay polls (ADR 0010).
  await writeOutboxMessages(executor, messages, { notify: false });
  return promoted.length;
}
