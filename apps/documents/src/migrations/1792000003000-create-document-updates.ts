import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A document's co-edited content (polyglot-b:S-2): the Yjs state as of its last compaction in
 * `documents.state`, and every update acknowledged since, appended to `document_updates` before the editor
 * hears it was saved. Loading merges the snapshot with every row left in document_updates; a compaction folds
 * the rows it read into the snapshot and deletes exactly those, so an append that commits during it is never
 * lost (Yjs applies an update twice harmlessly). document_updates_pkey (document_id, seq) serves both reads.
 */
export const DOCUMENT_UPDATES_SQL = `
ALTER TABLE documents ADD COLUMN state bytea;

CREATE TABLE document_updates (
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  update bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, seq)
);
`;

export class CreateDocumentUpdates1792000003000 implements MigrationInterface {
  name = 'CreateDocumentUpdates1792000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DOCUMENT_UPDATES_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE document_updates');
    await queryRunner.query('ALTER TABLE documents DROP COLUMN state');
  }
}
