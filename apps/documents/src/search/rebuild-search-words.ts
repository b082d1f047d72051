import type pg from 'pg';
import {
  ADD_ORGANISATION_TITLE_WORDS_SQL,
  DELETE_ORGANISATION_WORDS_SQL,
  INDEXED_ORGANISATIONS_SQL,
  LOCK_SEARCH_WORDS_SQL,
} from './document-search-words.sql.js';

/**
 * Rebuilds every organisation's title words from the search index's titles, one organisation a transaction:
 * the words of titles that are gone are dropped, those of titles written outside the indexer are added. The
 * indexer's upserts wait for each organisation's transaction (LOCK_SEARCH_WORDS_SQL); searches do not.
 * Resolves to the number of organisations and words rebuilt.
 */
export async function rebuildSearchWords(pool: pg.Pool): Promise<{ organisations: number; words: number }> {
  const { rows } = await pool.query<{ organisationId: string }>(INDEXED_ORGANISATIONS_SQL);
  let words = 0;
  for (const { organisationId } of rows) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(LOCK_SEARCH_WORDS_SQL);
      await client.query(DELETE_ORGANISATION_WORDS_SQL, [organisationId]);
      words += (await client.query(ADD_ORGANISATION_TITLE_WORDS_SQL, [organisationId])).rowCount ?? 0;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  return { organisations: rows.length, words };
}
