/** Values taken from one seeded row, to fill the hot queries' parameters. */
export interface HotQueryValues {
  eventStart: Date;
  eventId: string;
  category: string;
  day: Date;
  organiserId: string;
  userId: string;
}

/**
 * The app's hot read paths as the database sees them (same WHERE / ORDER BY / LIMIT shapes as the services
 * send). events:S-2 pins each to an index.
 */
export interface HotQuery {
  name: string;
  /** The table (or partitioned parent) whose scans are judged. */
  table: 'events' | 'registrations' | 'survey_responses';
  sql: string;
  parameters(values: HotQueryValues): unknown[];
}

export const HOT_QUERIES: HotQuery[] = [
  {
    name: 'GET /events: next keyset page of published events',
    table: 'events',
    sql: `SELECT * FROM events WHERE status = 'published' AND (start_datetime, id) > ($1::timestamptz, $2::uuid)
           ORDER BY start_datetime, id LIMIT 21`,
    parameters: (values) => [values.eventStart, values.eventId],
  },
  {
    name: 'GET /events?category=: published events of a category',
    table: 'events',
    sql: `SELECT * FROM events WHERE status = 'published' AND category = $1 ORDER BY start_datetime, id LIMIT 21`,
    parameters: (values) => [values.category],
  },
  {
    name: 'reminders: events starting tomorrow',
    table: 'events',
    sql: `SELECT id, title FROM events
           WHERE start_datetime >= $1::timestamptz AND start_datetime < $1::timestamptz + interval '1 day'`,
    parameters: (values) => [values.day],
  },
  {
    name: "an organiser's events",
    table: 'events',
    sql: 'SELECT id, title FROM events WHERE organiser_id = $1 ORDER BY start_datetime',
    parameters: (values) => [values.organiserId],
  },
  {
    name: 'stats / capacity: registrations of one event by status',
    table: 'registrations',
    sql: `SELECT status, count(*), count(checked_in_at) FROM registrations
           WHERE event_id = $1 AND event_starts_at = $2 GROUP BY status`,
    parameters: (values) => [values.eventId, values.eventStart],
  },
  {
    name: "GET /me/registrations: a user's registrations",
    table: 'registrations',
    sql: 'SELECT * FROM registrations WHERE user_id = $1',
    parameters: (values) => [values.userId],
  },
  {
    name: 'GET /events/:id/survey/responses: one page',
    table: 'survey_responses',
    sql: `SELECT * FROM survey_responses WHERE event_id = $1 AND event_starts_at = $2
           ORDER BY submitted_at, id LIMIT 51`,
    parameters: (values) => [values.eventId, values.eventStart],
  },
];
