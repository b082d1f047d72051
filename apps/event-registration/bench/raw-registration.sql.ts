/*
 * The floor the benches compare registrations against: DESIGN §8's raw statement, seat and insert in one
 * autocommit statement. It does less than the service: a refused call (no seat left) inserts nothing, where
 * the service waitlists it (a registration row and an outbox message).
 */
export const RAW_REGISTRATION_SQL = `
WITH seat AS (
  UPDATE events SET remaining_capacity = remaining_capacity - 1
   WHERE id = $1 AND remaining_capacity > 0 AND status = 'published'
  RETURNING id, start_datetime
)
INSERT INTO registrations (event_id, user_id, event_starts_at, status)
SELECT id, $2, start_datetime, 'registered' FROM seat`;
