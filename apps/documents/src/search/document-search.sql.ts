import type { KeysetSqlFragment } from '@remedy/pagination';
import { SEARCH_CANDIDATES, SEARCH_RECENT_WINDOW, SEARCH_SIMILAR_WORDS } from './search.policy.js';

/*
 * The search index's statements. Text search uses the 'simple' configuration (no stemming, no stop words):
 * documents are written in many languages, and one language's stemmer would mangle the others.
 */

/** The weighted vector of a title ($1) and body ($2): a title match ranks above a body match. */
const VECTOR = `setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('simple', $2), 'B')`;

/**
 * Applies one change: $1 title, $2 body, $3 document, $4 organisation, $5 version, $6 deleted, $7 changed at.
 * The WHERE of the DO UPDATE is the version guard: an older or repeated change updates nothing, so delivery
 * may be at-least-once and out of order. A change that applied adds its title's words to the organisation's
 * vocabulary (document_search_words, ADR 0098) in the same statement, so the two commit together; a word already
 * there is left alone, so a redelivery adds nothing, and the words come in the tsvector's sorted order, so two
 * indexers adding overlapping words wait on each other in one order and never deadlock. Returns the change's
 * index lag in seconds (by the database's clock), or no row when the guard kept a newer one.
 */
export const UPSERT_DOCUMENT_SEARCH_SQL = `
WITH applied AS (
  INSERT INTO document_search AS s
    (document_id, organisation_id, title, search, deleted, source_version, source_changed_at, indexed_at)
  VALUES ($3, $4, CASE WHEN $6 THEN '' ELSE $1 END, CASE WHEN $6 THEN ''::tsvector ELSE ${VECTOR} END, $6, $5, $7,
          clock_timestamp())
  ON CONFLICT (document_id) DO UPDATE
     SET title = EXCLUDED.title, search = EXCLUDED.search, deleted = EXCLUDED.deleted,
         source_version = EXCLUDED.source_version, source_changed_at = EXCLUDED.source_changed_at,
         indexed_at = EXCLUDED.indexed_at
   WHERE s.source_version < EXCLUDED.source_version
  RETURNING s.organisation_id, s.title, extract(epoch FROM s.indexed_at - s.source_changed_at)::float8 AS "lagSeconds"
),
title_words AS (
  INSERT INTO document_search_words (organisation_id, word)
  SELECT a.organisation_id, w.word FROM applied a, unnest(tsvector_to_array(to_tsvector('simple', a.title))) w(word)
  ON CONFLICT DO NOTHING
)
SELECT "lagSeconds" FROM applied`;

/**
 * One page of an organisation's matches, best first: $1 organisation, $2 query text, then the keyset page's
 * parameters. A full-text match (document_search_vector_idx) or a fuzzy title match (the query is close to some
 * words of the title, so a typo still finds it) qualifies; the rank adds the weighted text rank and the query's
 * word similarity to the title, rounded to a numeric so the cursor carries it exactly.
 *
 * Only candidates are ranked (ADR 0094), so a word found in most documents costs about SEARCH_CANDIDATES rows,
 * not one rank per match. The candidates are the SEARCH_CANDIDATES most recently changed text matches and, only
 * while the words match fewer than that, as many fuzzy title matches, newest first too (a word that fills the cap
 * alone needs no typo tolerance). Fewer matches than the cap are all ranked: the result is then exact. The text
 * matches are read one of two ways, with the same result:
 *   recent_matches  the SEARCH_RECENT_WINDOW newest entries (document_search_recent_idx) filtered by the words:
 *                   when they hold the cap, those are the newest matches, for about SEARCH_RECENT_WINDOW rows;
 *   all_matches     otherwise (rarer than one entry in five) every match through the GIN index, cut to the cap
 *                   by a top-N sort. Its order is an expression the btree cannot give (`+ interval '0'`), or the
 *                   planner, misjudging a phrase or an exclusion as dense, walks the whole organisation newest first.
 * The fuzzy title matches are found through the organisation's title words (ADR 0098), not by matching the query
 * against every title sharing a trigram with it (a typo of a common word shares them with thousands of titles):
 *   query_words     the query's words a title could hold (querytree leaves out the excluded ones);
 *   similar_words   for each, the SEARCH_SIMILAR_WORDS title words closest to it through
 *                   document_search_words_trgm_idx: similar as whole words (`%`, a typo) or holding it (`<%`, a
 *                   partial word). Looser than the title match on purpose: a title holding a word twice can be
 *                   close to a query the word alone is not (word similarity takes the best extent of the title);
 *                   the final `<%` on the titles decides;
 *   similar_query   those words as one tsquery, any of them: of the vector's title words (weight A), and of
 *                   the title alone;
 *   recent_similar  the newest titles holding one, read the two ways the text matches are: the newest entries
 *   all_similar     filtered, else through document_search_title_vector_idx, the title's own vector (the weighted
 *                   vector's GIN index cannot tell a title word from a body word: it would recheck every
 *                   document holding the word anywhere); then the query is matched against these titles only
 *                   (`<%`): for a one-word query every one of them is close, for several words those close to the
 *                   whole query.
 * The candidates follow from the change time and id, the query and the organisation's words alone, so every page
 * of a query ranks the same set and the keyset pages neither repeat nor skip. The query's own tsquery is written
 * out where it is used, not in a CTE, so the planner sees the words and estimates their matches from the column's
 * statistics (the close words' tsquery cannot be: they are found at run time).
 */
export function searchDocumentsPageSql(page: KeysetSqlFragment): string {
  return `
WITH recent_matches AS (
  SELECT recent.document_id, recent.title, recent.search
    FROM (SELECT s.document_id, s.title, s.search, s.source_changed_at
            FROM document_search s
           WHERE s.organisation_id = $1 AND NOT s.deleted
           ORDER BY s.source_changed_at DESC, s.document_id DESC
           LIMIT ${SEARCH_RECENT_WINDOW}) recent
   WHERE recent.search @@ websearch_to_tsquery('simple', $2)
   ORDER BY recent.source_changed_at DESC, recent.document_id DESC
   LIMIT ${SEARCH_CANDIDATES}
),
all_matches AS (
  SELECT s.document_id, s.title, s.search
    FROM document_search s
   WHERE s.organisation_id = $1 AND NOT s.deleted AND s.search @@ websearch_to_tsquery('simple', $2)
     AND (SELECT count(*) FROM recent_matches) < ${SEARCH_CANDIDATES}
   ORDER BY s.source_changed_at + interval '0' DESC, s.document_id DESC
   LIMIT ${SEARCH_CANDIDATES}
),
matched AS (
  SELECT * FROM recent_matches WHERE (SELECT count(*) FROM recent_matches) = ${SEARCH_CANDIDATES}
  UNION ALL
  SELECT * FROM all_matches
),
query_words AS (
  SELECT DISTINCT q.word
    FROM unnest(tsvector_to_array(to_tsvector('simple', querytree(websearch_to_tsquery('simple', $2))::text))) q(word)
   WHERE querytree(websearch_to_tsquery('simple', $2))::text <> 'T'
),
similar_words AS (
  SELECT close.word
    FROM query_words q
         CROSS JOIN LATERAL (SELECT w.word FROM document_search_words w
                              WHERE w.organisation_id = $1 AND (q.word % w.word OR q.word <% w.word)
                              ORDER BY greatest(similarity(q.word, w.word), word_similarity(q.word, w.word)) DESC,
                                       w.word
                              LIMIT ${SEARCH_SIMILAR_WORDS}) close
),
similar_query AS (
  SELECT string_agg('''' || replace(replace(word, '\\', '\\\\'), '''', '''''') || ''':A', ' | ')::tsquery AS query,
         string_agg('''' || replace(replace(word, '\\', '\\\\'), '''', '''''') || '''', ' | ')::tsquery AS title_query
    FROM similar_words
   WHERE (SELECT count(*) FROM matched) < ${SEARCH_CANDIDATES}
),
recent_similar AS (
  SELECT recent.document_id, recent.title, recent.search
    FROM (SELECT s.document_id, s.title, s.search, s.source_changed_at
            FROM document_search s
           WHERE s.organisation_id = $1 AND NOT s.deleted
           ORDER BY s.source_changed_at DESC, s.document_id DESC
           LIMIT ${SEARCH_RECENT_WINDOW}) recent
   WHERE recent.search @@ (SELECT query FROM similar_query)
     AND (SELECT query FROM similar_query) IS NOT NULL
   ORDER BY recent.source_changed_at DESC, recent.document_id DESC
   LIMIT ${SEARCH_CANDIDATES}
),
all_similar AS (
  SELECT s.document_id, s.title, s.search
    FROM document_search s
   WHERE s.organisation_id = $1 AND NOT s.deleted
     AND to_tsvector('simple', s.title) @@ (SELECT title_query FROM similar_query)
     AND (SELECT query FROM similar_query) IS NOT NULL AND (SELECT count(*) FROM recent_similar) < ${SEARCH_CANDIDATES}
   ORDER BY s.source_changed_at + interval '0' DESC, s.document_id DESC
   LIMIT ${SEARCH_CANDIDATES}
),
similar_titles AS (
  SELECT c.* FROM (SELECT * FROM recent_similar WHERE (SELECT count(*) FROM recent_similar) = ${SEARCH_CANDIDATES}
                   UNION ALL
                   SELECT * FROM all_similar) c
   WHERE $2 <% c.title
),
m AS (
  SELECT DISTINCT ON (c.document_id) c.document_id, c.title,
         round((ts_rank(c.search, websearch_to_tsquery('simple', $2)) + word_similarity($2, c.title))::numeric, 6) AS rank
    FROM (SELECT * FROM matched UNION ALL SELECT * FROM similar_titles) c
)
SELECT m.document_id AS "documentId", m.title, m.rank::float8 AS rank, ${page.select}
  FROM m WHERE ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
