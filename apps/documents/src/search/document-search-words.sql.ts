/*
 * An organisation's vocabulary of title words (document_search_words, ADR 0098): a typo is looked up among these
 * words, and the words found are searched through the tsvector index. The indexer adds a title's words with its
 * upsert (UPSERT_DOCUMENT_SEARCH_SQL); these statements rebuild an organisation's words from its titles.
 */

/** Adds the words of organisation $1's live titles (the 'simple' lexemes of each title), each once. */
export const ADD_ORGANISATION_TITLE_WORDS_SQL = `
INSERT INTO document_search_words (organisation_id, word)
SELECT DISTINCT s.organisation_id, w.word
  FROM document_search s, unnest(tsvector_to_array(to_tsvector('simple', s.title))) w(word)
 WHERE s.organisation_id = $1 AND NOT s.deleted
 ORDER BY 1, 2
ON CONFLICT DO NOTHING`;

/**
 * Taken before an organisation's words are replaced: it waits for the upserts adding words to commit and holds
 * new ones back until the rebuild commits, so the rebuild's read of the titles sees every title whose words it
 * deletes (searches read on: the lock does not conflict with reads).
 */
export const LOCK_SEARCH_WORDS_SQL = 'LOCK TABLE document_search_words IN SHARE ROW EXCLUSIVE MODE';

export const DELETE_ORGANISATION_WORDS_SQL = 'DELETE FROM document_search_words WHERE organisation_id = $1';

/** The organisations the search index holds entries of. */
export const INDEXED_ORGANISATIONS_SQL = `SELECT DISTINCT organisation_id AS "organisationId" FROM document_search`;
