import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * One writer per co-edited document (ADR 0086): the instance holding a document's writer lease in Redis stores
 * its updates, and each takeover bumps `writer_epoch`. A window's insert names the epoch it was written under
 * and inserts nothing once a later writer took over, so a paused writer that lost its lease cannot write.
 */
export const DOCUMENT_WRITER_EPOCH_SQL =
  'ALTER TABLE documents ADD COLUMN writer_epoch bigint NOT NULL DEFAULT 0';

export class AddDocumentWriterEpoch1792000005000 implements MigrationInterface {
  name = 'AddDocumentWriterEpoch1792000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DOCUMENT_WRITER_EPOCH_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE documents DROP COLUMN writer_epoch');
  }
}
