import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The index a search's candidates are read through, newest change first (ADR 0094). */
export const DOCUMENT_SEARCH_RECENT_INDEX = 'document_search_recent_idx';

/*
 * A search ranks at most SEARCH_CANDIDATES matches: the organisation's most recently changed ones (ADR 0094).
 * This index hands them over in that order, so a word in most documents costs a walk of about that many
 * entries instead of a scan of every match; tombstones are left out of it, as every search leaves them out.
 * An expand step (ADR 0006): built CONCURRENTLY, so the indexer's upserts go on while it builds, hence
 * `transaction = false`; an invalid index left by an interrupted build is dropped and built again.
 */
export class AddDocumentSearchRecentIndex1792000006000 implements MigrationInterface {
  name = 'AddDocumentSearchRecentIndex1792000006000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    const [existing] = (await queryRunner.query(
      `SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
      [DOCUMENT_SEARCH_RECENT_INDEX],
    )) as { valid: boolean }[];
    if (existing?.valid === true) return;
    if (existing) await queryRunner.query(`DROP INDEX CONCURRENTLY ${DOCUMENT_SEARCH_RECENT_INDEX}`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY ${DOCUMENT_SEARCH_RECENT_INDEX} ON document_search
         (organisation_id, source_changed_at DESC, document_id DESC) WHERE NOT deleted`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${DOCUMENT_SEARCH_RECENT_INDEX}`);
  }
}
