import type pg from 'pg';

/*
 * The reviewed design has Redis available but "no caching strategy defined" (Sections 2, 3): every page
 * view of the event listing and every dashboard refresh goes to Postgres, however rarely the data changes.
 */
export async function readEventListing(pool: pg.Pool, category: string, status: string): Promise<unknown[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    'SELECT * FROM events WHERE category = $1 AND status = $2 ORDER BY start_datetime LIMIT 20',
    [category, status],
  );
  return rows;
}

export async function readEventStats(pool: pg.Pool, eventId: string): Promise<{ registered: number }> {
  const { rows } = await pool.query<{ registered: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('registered', 'checked_in'))::int AS registered
       FROM registrations WHERE event_id = $1`,
    [eventId],
  );
  return rows[0] ?? { registered: 0 };
}
