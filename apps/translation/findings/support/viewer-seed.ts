import type pg from 'pg';

export interface SeededViewer {
  userId: string;
  language: string;
}

/**
 * `count` viewers of the organisation, each already a participant of the session, straight into the users and
 * participants tables in one statement each (no password hashing, no join per viewer): the i-th reads the session
 * in `languages[i % languages.length]`. Seed before the session's first message: the language map is loaded then.
 */
export async function seedSessionViewers(
  pool: pg.Pool,
  session: { id: string; organisationId: string },
  count: number,
  languages: readonly string[],
  emailPrefix: string,
): Promise<SeededViewer[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (organisation_id, email, display_name, role, password_hash)
     SELECT $1, $2 || n || '@example.com', 'Seeded viewer ' || n, 'viewer', 'not a password hash'
       FROM generate_series(1, $3::int) AS n
     RETURNING id`,
    [session.organisationId, emailPrefix, count],
  );
  const viewers = rows.map((row, index) => ({
    userId: row.id,
    language: languages[index % languages.length] ?? 'en',
  }));
  await pool.query(
    `INSERT INTO participants (session_id, user_id, language)
     SELECT $1, unnest($2::uuid[]), unnest($3::text[])`,
    [session.id, viewers.map((viewer) => viewer.userId), viewers.map((viewer) => viewer.language)],
  );
  return viewers;
}
