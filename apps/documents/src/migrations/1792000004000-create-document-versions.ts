import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Version history: named snapshots of a document's co-edited content, each the merged Yjs state at the moment
 * it was taken (the snapshot plus every update appended since) and its plain text, so that reading or restoring
 * a version never replays the document's history. `text` is for reading (NUL and lone surrogates, which a text
 * column cannot hold, shown as U+FFFD); a restore reads the exact text from `state`.
 *   document_versions_document_created_idx  a document's versions, newest first (keyset on created_at, id); its
 *                                           leading document_id also serves the cascade from a deleted document
 *   document_versions_created_by_idx        the creator foreign key's: a deleted user's versions are found
 *                                           without scanning every document's
 * `preview` and `characters` are written once with the version, so listing reads neither `text` nor `state`
 * (both TOASTed, megabytes on a long document).
 */
export const DOCUMENT_VERSIONS_SQL = `
CREATE TABLE document_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  state bytea NOT NULL,
  text text NOT NULL,
  preview text NOT NULL,
  characters integer NOT NULL CHECK (characters >= 0),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX document_versions_document_created_idx ON document_versions (document_id, created_at DESC, id DESC);
CREATE INDEX document_versions_created_by_idx ON document_versions (created_by);
`;

export class CreateDocumentVersions1792000004000 implements MigrationInterface {
  name = 'CreateDocumentVersions1792000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DOCUMENT_VERSIONS_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE document_versions');
  }
}
