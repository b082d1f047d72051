import type pg from 'pg';

export const SEED_LANGUAGES = ['en', 'ja', 'fr', 'de', 'es'] as const;

export interface DirectorySize {
  organisations: number;
  sessionsPerOrganisation: number;
  viewers: number;
  sessionsWithParticipants: number;
  termsPerGlossary: number;
}

/**
 * Fills the tables the hot queries read around one organisation (`organisationId`, made through the API): other
 * organisations with an organiser each, sessions for every organisation, viewers of the measured organisation
 * joined to many sessions, and a glossary for every language pair of every organisation. Plain SQL with
 * generate_series: one statement per table, seconds for tens of thousands of rows.
 */
export async function seedDirectory(
  pool: pg.Pool,
  organisationId: string,
  size: DirectorySize,
): Promise<void> {
  await pool.query(
    `INSERT INTO organisations (name) SELECT 'seeded ' || g FROM generate_series(1, $1::int) g`,
    [size.organisations - 1],
  );
  await pool.query(
    `INSERT INTO users (organisation_id, email, display_name, role, password_hash)
     SELECT o.id, 'seeded-organiser-' || o.id || '@example.com', 'Seeded', 'organiser', 'not a password hash'
       FROM organisations o WHERE o.id <> $1`,
    [organisationId],
  );
  await pool.query(
    `INSERT INTO sessions (organisation_id, organiser_id, title, source_language, created_at)
     SELECT u.organisation_id, u.id, 'Seeded session ' || g, 'en', now() - g * interval '1 minute'
       FROM users u CROSS JOIN generate_series(1, $1::int) g WHERE u.role = 'organiser'`,
    [size.sessionsPerOrganisation],
  );
  await pool.query(
    `INSERT INTO users (organisation_id, email, display_name, role, password_hash)
     SELECT $1, 'seeded-viewer-' || g || '@example.com', 'Viewer ' || g, 'viewer', 'not a password hash'
       FROM generate_series(1, $2::int) g`,
    [organisationId, size.viewers],
  );
  // The measured organisation's sessions first, so its own sessions have participants.
  await pool.query(
    `INSERT INTO participants (session_id, user_id, language)
     SELECT s.id, u.id, ($3::text[])[1 + (abs(hashtext(u.id::text || s.id::text)) % cardinality($3::text[]))]
       FROM (SELECT id FROM sessions ORDER BY organisation_id = $1 DESC, created_at DESC LIMIT $2) s
       CROSS JOIN (SELECT id FROM users WHERE organisation_id = $1 AND role = 'viewer') u`,
    [organisationId, size.sessionsWithParticipants, SEED_LANGUAGES],
  );
  await pool.query(
    `INSERT INTO glossaries (organisation_id, source_language, target_language)
     SELECT o.id, s, t FROM organisations o, unnest($1::text[]) s, unnest($1::text[]) t WHERE s <> t`,
    [SEED_LANGUAGES],
  );
  await pool.query(
    `INSERT INTO glossary_terms (glossary_id, source_term, target_term)
     SELECT g.id, 'term ' || n, 'terme ' || n FROM glossaries g CROSS JOIN generate_series(1, $1::int) n`,
    [size.termsPerGlossary],
  );
  await pool.query('VACUUM ANALYZE organisations, users, sessions, participants, glossaries, glossary_terms');
}
