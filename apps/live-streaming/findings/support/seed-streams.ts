import type pg from 'pg';

/**
 * `count` streamers, each with a profile and one live stream, started a second apart (the newest a minute
 * ago), as the live list would find them at peak. Returns the stream ids in list order (newest first).
 */
export async function seedLiveStreams(pool: pg.Pool, count: number, emailPrefix: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH streamers AS (
       INSERT INTO users (email, password_hash)
       SELECT $2 || g || '@example.com', 'seeded' FROM generate_series(1, $1::int) AS g
       RETURNING id, email
     ), profiles_made AS (
       INSERT INTO profiles (user_id, username, display_name)
       SELECT id, split_part(email, '@', 1), 'Streamer ' || split_part(email, '@', 1) FROM streamers
     )
     INSERT INTO streams (user_id, title, category, status, started_at)
     SELECT id, 'Stream of ' || email, 'games', 'live',
            date_trunc('second', now()) - interval '1 minute' - (row_number() OVER (ORDER BY id)) * interval '1 second'
       FROM streamers
     RETURNING id, started_at`,
    [count, emailPrefix],
  );
  await pool.query('ANALYZE users; ANALYZE profiles; ANALYZE streams');
  const ordered = await pool.query<{ id: string }>(
    `SELECT id FROM streams WHERE id = ANY($1::uuid[]) ORDER BY started_at DESC, id DESC`,
    [rows.map((row) => row.id)],
  );
  return ordered.rows.map((row) => row.id);
}
