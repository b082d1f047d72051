import type pg from 'pg';

/** `authors` authors, each with `postsPerAuthor` posts, interleaved so a page of posts spans many authors. */
export async function seedBlog(pool: pg.Pool, authors: number, postsPerAuthor: number): Promise<void> {
  await pool.query(`INSERT INTO authors (name) SELECT 'author ' || n FROM generate_series(1, $1) AS n`, [
    authors,
  ]);
  await pool.query(
    `INSERT INTO posts (title, author_id)
     SELECT 'post ' || round || '-' || a.id, a.id
     FROM generate_series(1, $1) AS round CROSS JOIN authors a
     ORDER BY round, a.id`,
    [postsPerAuthor],
  );
}
