import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The schema of Polyglot Connect's documents. Every secondary index serves a named hot query:
 *   users_organisation_created_idx      an organisation's users, newest first
 *   documents_organisation_created_idx  an organisation's documents, newest first (keyset on created_at, id)
 *   documents_owner_idx                 the owner foreign key's: the cascade from a deleted user finds their
 *                                       documents without scanning every organisation's
 * A document's content (the CRDT state, polyglot-b:S-2) and its search index (polyglot-b:M-3) come with the
 * co-editing and search features, in their own migrations.
 */
export const DOCUMENTS_SCHEMA_SQL = `
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
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_organisation_created_idx ON users (organisation_id, created_at DESC, id DESC);

CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_organisation_created_idx ON documents (organisation_id, created_at DESC, id DESC);
CREATE INDEX documents_owner_idx ON documents (owner_id);
`;

export class CreateDocumentsSchema1792000000000 implements MigrationInterface {
  name = 'CreateDocumentsSchema1792000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DOCUMENTS_SCHEMA_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE documents, users, organisations');
  }
}
