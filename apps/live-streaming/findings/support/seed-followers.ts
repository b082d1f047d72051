import type pg from 'pg';

/**
 * `count` members following `streamerId`, `tieSize` at a time in the same microsecond (a bulk import or a
 * raid: ties on the follow time are real), the newest group a minute ago. Each member has a profile. Returns
 * the followers in list order (newest follow first, id as tie-breaker), which is what a full walk must see.
 */
export async function seedFollowers(
  pool: pg.Pool,
  streamerId: string,
  { count, tieSize, emailPrefix }: { count: number; tieSize: number; emailPrefix: string },
): Promise<string[]> {
  await pool.query(
    `WITH members AS (
       INSERT INTO users (email, password_hash)
       SELECT $2 || g || '@example.com', 'seeded' FROM generate_series(1, $1::int) AS g
       RETURNING id, email
     ), profiles_made AS (
       INSERT INTO profiles (user_id, username, display_name)
       SELECT id, split_part(email, '@', 1), split_part(email, '@', 1) FROM members
     )
     INSERT INTO follows (follower_id, following_id, created_at)
     SELECT id, $3::uuid,
            date_trunc('second', now()) - interval '1 minute'
              - (row_number() OVER (ORDER BY id) / $4::int) * interval '1 second'
       FROM members`,
    [count, emailPrefix, streamerId, tieSize],
  );
  await pool.query('ANALYZE users; ANALYZE profiles; ANALYZE follows');
  const { rows } = await pool.query<{ id: string }>(
    `SELECT follower_id AS id FROM follows WHERE following_id = $1 ORDER BY created_at DESC, follower_id DESC`,
    [streamerId],
  );
  return rows.map((row) => row.id);
}

/** `count` members with profiles who follow nobody yet, for follows made while a client pages. */
export async function seedMembers(pool: pg.Pool, count: number, emailPrefix: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH members AS (
       INSERT INTO users (email, password_hash)
       SELECT $2 || g || '@example.com', 'seeded' FROM generate_series(1, $1::int) AS g
       RETURNING id, email
     )
     INSERT INTO profiles (user_id, username, display_name)
     SELECT id, split_part(email, '@', 1), split_part(email, '@', 1) FROM members
     RETURNING user_id AS id`,
    [count, emailPrefix],
  );
  return rows.map((row) => row.id);
}
