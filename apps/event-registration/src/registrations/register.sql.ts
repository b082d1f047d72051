import { REGISTRATION_COLUMNS } from './registration-row.js';
import { REGISTRATION_TOPICS } from './registration-topics.js';

/*
 * One statement takes a place (a seat, else the waitlist), writes the registration and writes its outbox
 * message, so the event row's lock is held only inside the server and never across client round trips
 * (under a saturated event loop, that is what makes a multi-statement transaction collapse: ADR 0010).
 * The outbox row is the one @remedy/outbox's relay reads. No NOTIFY: Postgres serialises the commits of
 * notifying transactions, which cost ~12 % of registration throughput in a 500-caller burst (ADR 0010);
 * the relay polls every 200 ms instead.
 *
 * seat (events:C-1): the conditional UPDATE takes the event row's lock and re-checks remaining_capacity > 0
 *   on the latest committed version; concurrent callers queue on the lock for microseconds instead of
 *   racing a COUNT. The CHECK (remaining_capacity BETWEEN 0 AND capacity) backs it.
 * waitlist: only when no seat was taken and the event is full. FOR SHARE orders it against a concurrent
 *   cancel, whose UPDATE of the event row must wait for every share lock before it looks for someone to
 *   promote: either the cancel sees this waitlisted row and promotes it, or this statement sees the freed seat
 *   (remaining_capacity = 0 no longer holds), returns nothing, and the caller tries again. A share lock, not
 *   FOR UPDATE, so that waitlisting callers of a full event do not queue behind one another.
 *
 * $1 event id, $2 user id, $3 outbox headers (jsonb, with a correlation-id). No row back: no place taken.
 */
export const REGISTER_SQL = `
WITH seat AS (
  UPDATE events SET remaining_capacity = remaining_capacity - 1, updated_at = now()
   WHERE id = $1 AND status = 'published' AND remaining_capacity > 0 AND start_datetime > now()
  RETURNING id, start_datetime
),
waitlist AS (
  SELECT id, start_datetime FROM events
   WHERE id = $1 AND status = 'published' AND remaining_capacity = 0 AND start_datetime > now()
     AND NOT EXISTS (SELECT 1 FROM seat)
     FOR SHARE
),
place AS (
  SELECT id, start_datetime, 'registered' AS status FROM seat
  UNION ALL
  SELECT id, start_datetime, 'waitlisted' AS status FROM waitlist
),
registration AS (
  INSERT INTO registrations (event_id, user_id, event_starts_at, status)
  SELECT id, $2, start_datetime, status FROM place
  RETURNING ${REGISTRATION_COLUMNS}
),
message AS (
  INSERT INTO outbox (topic, payload, headers)
  SELECT CASE status WHEN 'registered' THEN '${REGISTRATION_TOPICS.confirmed}' ELSE '${REGISTRATION_TOPICS.waitlisted}' END,
         jsonb_build_object('registrationId', id, 'eventId', event_id, 'userId', user_id), $3::jsonb
    FROM registration
  RETURNING id
)
SELECT registration.*, (SELECT count(*) FROM message) AS messages
  FROM registration`;
