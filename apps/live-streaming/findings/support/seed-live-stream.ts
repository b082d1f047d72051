import type pg from 'pg';

/** A live stream of `streamerId`, written with SQL: the go-live route is another feature's. Returns its id. */
export async function seedLiveStream(pool: pg.Pool, streamerId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO streams (user_id, title, category, status) VALUES ($1, 'Live now', 'other', 'live') RETURNING id`,
    [streamerId],
  );
  return rows[0]!.id;
}

/**
 * A new streamer (user and profile, written with SQL) live on one stream, for tests that need only the room:
 * the chat and its viewers. Returns the stream's id and the streamer's.
 */
export async function seedLiveStreamer(
  pool: pg.Pool,
  username: string,
): Promise<{ streamId: string; streamerId: string }> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH streamer AS (
       INSERT INTO users (email, password_hash) VALUES ($1 || '@example.com', 'seeded') RETURNING id
     )
     INSERT INTO profiles (user_id, username, display_name) SELECT id, $1, $1 FROM streamer RETURNING user_id AS id`,
    [username],
  );
  const streamerId = rows[0]!.id;
  return { streamId: await seedLiveStream(pool, streamerId), streamerId };
}
