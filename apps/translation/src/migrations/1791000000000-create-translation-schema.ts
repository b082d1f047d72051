import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The schema of Polyglot Connect's realtime part. Every secondary index serves a named hot query
 * (polyglot-a:S-4, polyglot-b:C-3):
 *   users_organisation_created_idx   an organisation's users, newest first
 *   sessions_organisation_created_idx an organisation's sessions, newest first (keyset on created_at, id)
 *   sessions_organiser_created_idx   the sessions one organiser runs, newest first (review b's idx_session_organizer)
 *   participants_pkey                the participant language map of a session (session_id → user_id, language,
 *                                    index-only thanks to INCLUDE) and the duplicate-join check (polyglot-a:M-2)
 *   participants_user_joined_idx     the sessions a user joined, newest first
 *   glossaries_pair_key              the glossary of an organisation for a language pair (one per pair)
 *   glossary_terms_pkey              a glossary's terms by source term
 * A participant is unique per (session, user): a replayed join can never add a second row (polyglot-a:M-2).
 */
export const TRANSLATION_SCHEMA_SQL = `
CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('organiser', 'speaker', 'viewer')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_organisation_created_idx ON users (organisation_id, created_at DESC, id DESC);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  organiser_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL,
  source_language text NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended')),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  ended_at timestamptz,
  CONSTRAINT sessions_live_has_start CHECK (status = 'scheduled' OR started_at IS NOT NULL),
  CONSTRAINT sessions_ended_has_end CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
CREATE INDEX sessions_organisation_created_idx ON sessions (organisation_id, created_at DESC, id DESC);
CREATE INDEX sessions_organiser_created_idx ON sessions (organiser_id, created_at DESC, id DESC);

CREATE TABLE participants (
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  language text NOT NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT participants_pkey PRIMARY KEY (session_id, user_id) INCLUDE (language)
);
CREATE INDEX participants_user_joined_idx ON participants (user_id, joined_at DESC, session_id DESC);

CREATE TABLE glossaries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  source_language text NOT NULL,
  target_language text NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT glossaries_pair_key UNIQUE (organisation_id, source_language, target_language),
  CONSTRAINT glossaries_distinct_languages CHECK (source_language <> target_language)
);

CREATE TABLE glossary_terms (
  glossary_id uuid NOT NULL REFERENCES glossaries (id) ON DELETE CASCADE,
  source_term text NOT NULL,
  target_term text NOT NULL,
  CONSTRAINT glossary_terms_pkey PRIMARY KEY (glossary_id, source_term)
);
`;

export class CreateTranslationSchema1791000000000 implements MigrationInterface {
  name = 'CreateTranslationSchema1791000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(TRANSLATION_SCHEMA_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE glossary_terms, glossaries, participants, sessions, users, organisations',
    );
  }
}
