import { REGISTRATION_COLUMNS } from './registration-row.js';
import { REGISTRATION_TOPICS } from './registration-topics.js';

/*
 * REGISTER_SQL for many callers of one event at once (RegisterService batches the callers that arrive while a
 * statement for their event is running): one lock of the event row, one seat UPDATE, one commit for the whole
 * batch instead of one each. Seats go to the callers in arrival order, the rest of a full event join the
 * waitlist in that order, each registration with its outbox message, all in one statement as in ADR 0010.
 *
 * event: looked up by its key alone (with the open checks in its WHERE the planner may pick an index of
 *   published events and read every future one). FOR UPDATE, taken whether or not a seat is left, orders the
 *   batch against a concurrent cancel or capacity change (which lock the row to promote the waitlist): either
 *   they commit first and the batch sees the seats they freed, or the batch commits first and they promote
 *   its waitlisted callers. In READ COMMITTED, FOR UPDATE returns the row's latest committed version, so
 *   seats_left and open are current, and the seat UPDATE below, on the row this statement holds, starts from
 *   the same value. The CHECK on remaining_capacity backs it.
 * newcomer: callers without a live registration for the event (one who has one is left out, and
 *   RegisterService answers them through REGISTER_SQL's 409). A scalar subquery, not NOT EXISTS: the planner
 *   turns NOT EXISTS into an anti-join that reads every partition of registrations; the subquery probes the
 *   unique index once per caller, in the partition of the event's start only (pruned at run time). A
 *   registration committed by another process after this statement's snapshot makes the INSERT fail with a
 *   unique violation; RegisterService then registers the batch's callers one by one.
 * registered_at: now() is the transaction's start, the same for the whole batch; one microsecond per arrival
 *   keeps the waitlist's order (registered_at, id) the callers' order.
 *
 * $1 event id, $2 user ids (uuid[], arrival order, no duplicates), $3 outbox headers (jsonb[], one per user).
 * One row back per caller who got a place; none if the event is not open.
 */
export const REGISTER_BATCH_SQL = `
WITH caller AS (
  SELECT user_id, headers, position
    FROM unnest($2::uuid[], $3::jsonb[]) WITH ORDINALITY AS caller (user_id, headers, position)
),
event AS (
  SELECT id, start_datetime, remaining_capacity AS seats_left, status = 'published' AND start_datetime > now() AS open
    FROM events
   WHERE id = $1
     FOR UPDATE
),
newcomer AS (
  SELECT caller.user_id, caller.headers, event.id AS event_id, event.start_datetime, event.seats_left,
         row_number() OVER (ORDER BY caller.position) AS arrival
    FROM caller CROSS JOIN event
   WHERE event.open
     AND (SELECT r.id FROM registrations r
           WHERE r.event_id = event.id AND r.event_starts_at = event.start_datetime
             AND r.user_id = caller.user_id AND r.status <> 'cancelled'
           LIMIT 1) IS NULL
),
seat AS (
  UPDATE events
     SET remaining_capacity = remaining_capacity - (SELECT count(*) FROM newcomer WHERE arrival <= seats_left),
         updated_at = now()
   WHERE id = $1 AND EXISTS (SELECT 1 FROM newcomer WHERE arrival <= seats_left)
  RETURNING id
),
registration AS (
  INSERT INTO registrations (event_id, user_id, event_starts_at, status, registered_at)
  SELECT event_id, user_id, start_datetime,
         CASE WHEN arrival <= seats_left THEN 'registered' ELSE 'waitlisted' END,
         now() + (arrival - 1) * interval '1 microsecond'
    FROM newcomer
   ORDER BY arrival
  RETURNING ${REGISTRATION_COLUMNS}
),
message AS (
  INSERT INTO outbox (topic, payload, headers)
  SELECT CASE registration.status WHEN 'registered' THEN '${REGISTRATION_TOPICS.confirmed}' ELSE '${REGISTRATION_TOPICS.waitlisted}' END,
         jsonb_build_object('registrationId', registration.id, 'eventId', registration.event_id, 'userId', registration.user_id),
         newcomer.headers
    FROM registration JOIN newcomer USING (user_id)
  RETURNING id
)
SELECT * FROM registration`;
