import type { KeysetSqlFragment } from '@remedy/pagination';

/*
 * The glossaries' statements. glossaries_pair_key (organisation_id, source_language, target_language) serves the
 * look-up of an organisation's glossary for a pair, which a translation makes when the pair's cached answer is
 * missing or outdated (PairGlossaries), and the list
 * in pair order; glossary_terms_pkey (glossary_id, source_term) serves reading a glossary's terms
 * (polyglot-a:S-4, polyglot-b:C-3). Writes are wrapped in CTEs so they return rows like a SELECT does.
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const GLOSSARY_COLUMNS = `g.id, g.organisation_id AS "organisationId", g.source_language AS "sourceLanguage",
  g.target_language AS "targetLanguage", g.version, ${iso('g.created_at')} AS "createdAt",
  ${iso('g.updated_at')} AS "updatedAt"`;

const TERMS = `coalesce((SELECT json_agg(json_build_object('source', t.source_term, 'target', t.target_term)
    ORDER BY t.source_term) FROM glossary_terms t WHERE t.glossary_id = g.id), '[]'::json) AS terms`;

/** $1 organisation, $2 source, $3 target, $4 source terms, $5 target terms. */
export const INSERT_GLOSSARY_SQL = `
WITH g AS (
  INSERT INTO glossaries (organisation_id, source_language, target_language) VALUES ($1, $2, $3) RETURNING *
), terms AS (
  INSERT INTO glossary_terms (glossary_id, source_term, target_term)
  SELECT g.id, s, t FROM g, unnest($4::text[], $5::text[]) AS term(s, t)
)
SELECT ${GLOSSARY_COLUMNS} FROM g`;

/** $1 glossary, $2 organisation. */
export const GLOSSARY_SQL = `
SELECT ${GLOSSARY_COLUMNS}, ${TERMS} FROM glossaries g WHERE g.id = $1 AND g.organisation_id = $2`;

/** $1 organisation, $2 source, $3 target: the glossary a translation for this pair applies. */
export const GLOSSARY_FOR_PAIR_SQL = `
SELECT ${GLOSSARY_COLUMNS}, ${TERMS} FROM glossaries g
 WHERE g.organisation_id = $1 AND g.source_language = $2 AND g.target_language = $3`;

/** $1 glossary, $2 organisation: the glossary's pair, or no row when the organisation has no such glossary. */
export const BUMP_GLOSSARY_VERSION_SQL = `
WITH g AS (
  UPDATE glossaries SET version = version + 1, updated_at = now()
   WHERE id = $1 AND organisation_id = $2
  RETURNING *
)
SELECT g.id, g.source_language AS "sourceLanguage", g.target_language AS "targetLanguage" FROM g`;

export const DELETE_TERMS_SQL = `DELETE FROM glossary_terms WHERE glossary_id = $1`;

export const INSERT_TERMS_SQL = `
INSERT INTO glossary_terms (glossary_id, source_term, target_term)
SELECT $1, s, t FROM unnest($2::text[], $3::text[]) AS term(s, t)`;

/** $1 glossary, $2 organisation: the deleted glossary's pair, or no row. */
export const DELETE_GLOSSARY_SQL = `
WITH g AS (DELETE FROM glossaries WHERE id = $1 AND organisation_id = $2 RETURNING *)
SELECT g.id, g.source_language AS "sourceLanguage", g.target_language AS "targetLanguage" FROM g`;

/** An organisation's glossaries in pair order, one keyset page, without their terms. */
export function glossariesPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${GLOSSARY_COLUMNS},
       (SELECT count(*)::int FROM glossary_terms t WHERE t.glossary_id = g.id) AS "termCount", ${page.select}
  FROM glossaries g WHERE g.organisation_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
