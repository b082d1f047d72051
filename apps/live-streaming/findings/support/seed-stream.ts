import type pg from 'pg';

/** A live stream of `streamerId`, written directly: the go-live route is not what tips are about. */
export async function seedLiveStream(
  pool: pg.Pool,
  streamerId: string,
  title = 'seeded stream',
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO streams (user_id, title, category, status) VALUES ($1, $2, 'other', 'live') RETURNING id`,
    [streamerId, title],
  );
  return rows[0]!.id;
}
