import type { KeysetSqlFragment } from '@remedy/pagination';
import { iso } from '../documents/documents.sql.js';
import { VERSION_PREVIEW_LENGTH } from './document-versions.policy.js';

/*
 * The document_versions table's statements. A version is reached through its document, and the document
 * through the caller's organisation: another organisation's document or version is a 404 like a missing one.
 */

export const VERSION_SUMMARY_COLUMNS = `v.id, v.document_id AS "documentId", v.name, v.preview, v.characters,
  v.created_by AS "createdBy", ${iso('v.created_at')} AS "createdAt"`;

/** $1 document, $2 organisation (documents_pkey). KEY SHARE: the document cannot be deleted under the insert. */
export const DOCUMENT_FOR_VERSION_SQL =
  'SELECT id FROM documents WHERE id = $1 AND organisation_id = $2 FOR KEY SHARE';

/**
 * $1 document, $2 organisation: serialises restores of one document with each other and with compactions
 * (FOR UPDATE) so each restore computes its update from the content the previous one left; NO KEY UPDATE does
 * not conflict with the KEY SHARE lock an editor's append takes, so co-editing never waits for a restore.
 */
export const LOCK_DOCUMENT_FOR_RESTORE_SQL =
  'SELECT id FROM documents WHERE id = $1 AND organisation_id = $2 FOR NO KEY UPDATE';

/** $1 document, $2 organisation (documents_pkey): whether the caller may see the document at all. */
export const DOCUMENT_IN_ORGANISATION_SQL = 'SELECT id FROM documents WHERE id = $1 AND organisation_id = $2';

/** $1 document, $2 name, $3 the merged Yjs state, $4 its text, $5 the creator. Length and preview in characters. */
export const INSERT_VERSION_SQL = `
INSERT INTO document_versions AS v (document_id, name, state, text, preview, characters, created_by)
VALUES ($1, $2, $3, $4, left($4, ${VERSION_PREVIEW_LENGTH}), char_length($4), $5)
RETURNING ${VERSION_SUMMARY_COLUMNS}`;

/** $1 version, $2 document, $3 organisation (document_versions_pkey, documents_pkey). */
export const VERSION_SQL = `
SELECT ${VERSION_SUMMARY_COLUMNS}, v.text
  FROM document_versions v JOIN documents d ON d.id = v.document_id
 WHERE v.id = $1 AND v.document_id = $2 AND d.organisation_id = $3`;

/** $1 version, $2 document: the state a restore brings back (the document is already scoped). */
export const VERSION_STATE_SQL = `
SELECT ${VERSION_SUMMARY_COLUMNS}, v.state FROM document_versions v WHERE v.id = $1 AND v.document_id = $2`;

/** A document's versions, newest first, one keyset page (document_versions_document_created_idx). */
export function documentVersionsPageSql(page: KeysetSqlFragment): string {
  return `SELECT ${VERSION_SUMMARY_COLUMNS}, ${page.select}
  FROM document_versions v WHERE v.document_id = $1 AND ${page.where}
 ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
}
