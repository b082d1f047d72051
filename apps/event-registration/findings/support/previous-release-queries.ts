/**
 * The statements the previous release (before AddEventTimezone1779100000000) sends to `events`, verbatim
 * in shape: a blue-green switch runs it against the new schema until the switch completes (events:m-3).
 */
export interface ReleaseStatement {
  name: string;
  sql: string;
  parameters(ids: { organiserId: string; eventId: string }): unknown[];
}

export const PREVIOUS_RELEASE_STATEMENTS: ReleaseStatement[] = [
  {
    name: 'create an event',
    sql: `INSERT INTO events (organiser_id, title, description, category, status, start_datetime, end_datetime,
                              venue, capacity, remaining_capacity)
          VALUES ($1, 'Old release event', NULL, 'seminar', 'draft', now() + interval '7 days',
                  now() + interval '7 days 2 hours', 'Hall A', 40, 40)
          RETURNING id, title, venue, version`,
    parameters: ({ organiserId }) => [organiserId],
  },
  {
    name: 'list published events',
    sql: `SELECT id, organiser_id, title, description, category, status, start_datetime, end_datetime, venue,
                 capacity, remaining_capacity, version
            FROM events WHERE status = 'published' ORDER BY start_datetime, id LIMIT 21`,
    parameters: () => [],
  },
  {
    name: 'get one event',
    sql: `SELECT id, title, venue, capacity, remaining_capacity, version FROM events WHERE id = $1`,
    parameters: ({ eventId }) => [eventId],
  },
  {
    name: 'move an event to another venue',
    sql: `UPDATE events SET venue = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING version`,
    parameters: ({ eventId }) => [eventId, 'Hall B'],
  },
];
