import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The index a typo is looked up through among an organisation's title words (ADR 0098). */
export const DOCUMENT_SEARCH_WORDS_TRGM_INDEX = 'document_search_words_trgm_idx';

/** The titles' own full-text index: the titles holding the words a typo is close to are read through it. */
export const DOCUMENT_SEARCH_TITLE_VECTOR_INDEX = 'document_search_title_vector_idx';

/** Index entries whose title words one backfill statement adds: a short statement, so the indexer never waits long. */
const BACKFILL_BATCH = 5_000;

/*
 * An organisation's vocabulary of title words (ADR 0098): a typo is matched against these few words, not
 * against every title, and the words found are then searched through the tsvector index. The indexer adds a
 * changed title's words in the upsert's own statement; a word whose titles are all gone stays (it can only
 * offer a word that then matches nothing).
 *   document_search_words                (organisation_id, word): each word of the organisation's titles once
 *   document_search_words_trgm_idx      GiST on the organisation (btree_gist) and the word's trigrams: a lookup
 *                                        reads only the organisation's words sharing enough trigrams with the
 *                                        query word, not those of every organisation
 *   document_search_title_vector_idx     GIN on the title's own 'simple' vector: the titles holding a word (the
 *                                        weighted vector's index holds body words too, so a title word would be
 *                                        rechecked in every document holding it anywhere)
 * An expand step (ADR 0006), hence `transaction = false`: the table is new, its index is built while it is empty,
 * the backfill from the index's titles commits batch by batch while the indexer goes on writing, and the title
 * index is built CONCURRENTLY (an invalid one left by an interrupted build is dropped and built again).
 */
export class CreateDocumentSearchWords1792000007000 implements MigrationInterface {
  name = 'CreateDocumentSearchWords1792000007000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS document_search_words (
         organisation_id uuid NOT NULL,
         word text NOT NULL,
         PRIMARY KEY (organisation_id, word)
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS ${DOCUMENT_SEARCH_WORDS_TRGM_INDEX} ON document_search_words
         USING gist (organisation_id, word gist_trgm_ops)`,
    );
    await backfillSearchWords(queryRunner);
    await buildTitleVectorIndex(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${DOCUMENT_SEARCH_TITLE_VECTOR_INDEX}`);
    await queryRunner.query('DROP TABLE IF EXISTS document_search_words');
  }
}

async function buildTitleVectorIndex(queryRunner: QueryRunner): Promise<void> {
  const [existing] = (await queryRunner.query(
    `SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
    [DOCUMENT_SEARCH_TITLE_VECTOR_INDEX],
  )) as { valid: boolean }[];
  if (existing?.valid === true) return;
  if (existing) await queryRunner.query(`DROP INDEX CONCURRENTLY ${DOCUMENT_SEARCH_TITLE_VECTOR_INDEX}`);
  await queryRunner.query(
    `CREATE INDEX CONCURRENTLY ${DOCUMENT_SEARCH_TITLE_VECTOR_INDEX} ON document_search
       USING gin (to_tsvector('simple', title))`,
  );
}

/**
 * Adds the words of every live title of the search index, BACKFILL_BATCH entries a statement in document order;
 * idempotent, so an interrupted migration simply runs it again.
 */
async function backfillSearchWords(queryRunner: QueryRunner): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const [batch] = (await queryRunner.query(
      `WITH batch AS (
         SELECT s.document_id, s.organisation_id, s.title FROM document_search s
          WHERE s.document_id > $1 ORDER BY s.document_id LIMIT ${BACKFILL_BATCH}
       ),
       added AS (
         INSERT INTO document_search_words (organisation_id, word)
         SELECT DISTINCT b.organisation_id, w.word
           FROM batch b, unnest(tsvector_to_array(to_tsvector('simple', b.title))) w(word)
          ORDER BY 1, 2
         ON CONFLICT DO NOTHING
       )
       SELECT (SELECT document_id FROM batch ORDER BY document_id DESC LIMIT 1) AS last`,
      [after],
    )) as { last: string | null }[];
    if (!batch?.last) return;
    after = batch.last;
  }
}
