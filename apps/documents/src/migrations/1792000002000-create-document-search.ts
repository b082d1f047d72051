import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * polyglot-b:M-3, the search side. A document gains a plain-text body (the co-editing snapshot writes it later)
 * and a version that every change bumps: the search index stores the version it holds, so a change delivered
 * twice or late never replaces a newer entry (the upsert's guard).
 *   document_search                     one entry per document, filled only by the indexer worker
 *   document_search_vector_idx (GIN)    full-text matches on the weighted vector (title A, body B)
 *   document_search_title_trgm_idx      fuzzy title matches (pg_trgm), for typos and partial words
 * A deleted document keeps a tombstone entry (deleted = true) with the delete's version, so a late copy of an
 * older change cannot bring it back into results.
 */
export const DOCUMENT_SEARCH_SCHEMA_SQL = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE documents
  ADD COLUMN body text NOT NULL DEFAULT '' CHECK (char_length(body) <= 100000),
  ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE document_search (
  document_id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL,
  title text NOT NULL,
  search tsvector NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  source_version integer NOT NULL,
  source_changed_at timestamptz NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX document_search_vector_idx ON document_search USING gin (search);
CREATE INDEX document_search_title_trgm_idx ON document_search USING gin (title gin_trgm_ops);
`;

export class CreateDocumentSearch1792000002000 implements MigrationInterface {
  name = 'CreateDocumentSearch1792000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DOCUMENT_SEARCH_SCHEMA_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE document_search');
    await queryRunner.query('ALTER TABLE documents DROP COLUMN body, DROP COLUMN version');
  }
}
