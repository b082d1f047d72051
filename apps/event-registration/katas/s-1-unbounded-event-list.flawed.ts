import type pg from 'pg';

/*
 * The reviewed design's GET /api/events (Section 5.1): "Returns all events matching filters" — no LIMIT,
 * no page, every column. With 10,000 events one request ships all 10,000 rows to the app and the client.
 */
export async function getEvents(
  pool: pg.Pool,
  filters: { category?: string; status?: string },
): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM events
      WHERE ($1::text IS NULL OR category = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY start_datetime`,
    [filters.category ?? null, filters.status ?? null],
  );
  return rows;
}
