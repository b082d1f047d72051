import type { KeysetSqlFragment } from '@remedy/pagination';

/*
 * The documents table's statements. Every statement on one document names its organisation too, so a document
 * of another organisation is never read, renamed or deleted (the caller sees a 404). Times leave Postgres as
 * ISO 8601 text in UTC. UPDATE and DELETE are wrapped in a CTE so they return rows like a SELECT does.
 */
export const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const DOCUMENT_COLUMNS = `id, organisation_id AS "organisationId", owner_id AS "ownerId", title,
  ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt"`;

/** What the search index needs of a changed document besides its metadata (polyglot-b:M-3). */
const CHANGE_COLUMNS = `version, body, ${iso('updated_at')} AS "changedAt"`;

/** $1 organisation, $2 owner, $3 title, $4 body. */
export const INSERT_DOCUMENT_SQL = `
INSERT INTO documents (organisation_id, owner_id, title, body) VALUES ($1, $2, $3, $4)
RETURNING ${DOCUMENT_COLUMNS}, ${CHANGE_COLUMNS}`;

/** $1 document, $2 organisation (documents_pkey). */
export const DOCUMENT_BY_ID_SQL = `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = $1 AND organisation_id = $2`;

/** $1 document, $2 organisation, $3 title, $4 body (NULL keeps it). Every change bumps the version. */
export const UPDATE_DOCUMENT_SQL = `
WITH updated AS (
  UPDATE documents SET title = $3, body = COALESCE($4, body), version = version + 1, updated_at = now()
   WHERE id = $1 AND organisation_id = $2
  RETURNING *
)
SELECT ${DOCUMENT_COLUMNS}, ${CHANGE_COLUMNS} FROM updated`;

/**
 * $1 document, $2 the co-edited text: the body the search index reads, kept in step with the document's content
 * (its first 100,000 characters, the body's limit: a longer document is found by its beginning). A text equal
 * to the body is no change (no row, no version).
 */
export const SAVE_CO_EDITED_TEXT_SQL = `
WITH updated AS (
  UPDATE documents SET body = left($2, 100000), version = version + 1, updated_at = now()
   WHERE id = $1 AND body IS DISTINCT FROM left($2, 100000)
  RETURNING *
)
SELECT ${DOCUMENT_COLUMNS}, ${CHANGE_COLUMNS} FROM updated`;

/**
 * $1 document, $2 organisation, $3 the caller, $4 whether the caller may delete any document (an admin). The
 * ownership check is in the statement, so the permission holds for the row that is deleted, not one read before.
 * The delete's version (one past the last) is the search tombstone's.
 */
export const DELETE_DOCUMENT_SQL = `
WITH deleted AS (
  DELETE FROM documents WHERE id = $1 AND organisation_id = $2 AND ($4 OR owner_id = $3)
  RETURNING id, version
)
SELECT id, version + 1 AS version, ${iso('now()')} AS "changedAt" FROM deleted`;

/** An organisation's documents, newest first, one keyset page (documents_organisation_created_idx). */
export function organisationDocumentsPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${DOCUMENT_COLUMNS}, ${page.select}
  FROM documents d WHERE d.organisation_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
