import type pg from 'pg';

/**
 * A streamer (user and profile) with one live stream, written with SQL: the go-live route is another
 * feature's, and the chat only needs the row. Returns the stream's id and the streamer's.
 */
export async function seedLiveStream(
  pool: pg.Pool,
  username: string,
): Promise<{ streamId: string; streamerId: string }> {
  const { rows } = await pool.query<{ stream_id: string; user_id: string }>(
    `WITH streamer AS (
       INSERT INTO users (email, password_hash) VALUES ($1 || '@example.com', 'seeded') RETURNING id
     ), profile AS (
       INSERT INTO profiles (user_id, username, display_name) SELECT id, $1, $1 FROM streamer
     )
     INSERT INTO streams (user_id, title, category, status) SELECT id, 'Live now', 'other', 'live' FROM streamer
     RETURNING id AS stream_id, user_id`,
    [username],
  );
  return { streamId: rows[0]!.stream_id, streamerId: rows[0]!.user_id };
}
