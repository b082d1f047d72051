import { beforeAll, describe, expect, it } from '@jest/globals';
import { executedScans, useTestContext } from '@remedy/testing';
import { DOCUMENT_BY_ID_SQL } from '../src/documents/documents.sql.js';
import { organisationDocumentsPage } from '../src/documents/organisation-documents-page.js';
import { documentVersionsPage } from '../src/versions/document-versions-page.js';
import { documentsHarness } from '../findings/support/documents-harness.js';

const ctx = useTestContext(documentsHarness);

const ORGANISATIONS = 100;
const DOCUMENTS_EACH = 100;

/**
 * The documents' hot reads, planned on 10,000 documents over 100 organisations: each statement the API runs
 * (built by the same functions) must read documents through the index made for it, never scan the whole table.
 */
describe('document reads use their indexes', () => {
  let organisationId: string;

  beforeAll(async () => {
    await ctx.pool.query(`
      WITH organisations AS (
        INSERT INTO organisations (name) SELECT 'org ' || n FROM generate_series(1, ${ORGANISATIONS}) n RETURNING id
      ), owners AS (
        INSERT INTO users (organisation_id, email, display_name, role, password_hash)
        SELECT id, 'owner-' || id || '@example.com', 'owner', 'editor', 'not-a-hash' FROM organisations
        RETURNING id, organisation_id
      )
      INSERT INTO documents (organisation_id, owner_id, title, created_at)
      SELECT organisation_id, id, 'doc ' || n, now() - n * interval '1 minute'
        FROM owners, generate_series(1, ${DOCUMENTS_EACH}) n`);
    await ctx.pool.query('ANALYZE organisations, users, documents');
    const { rows } = await ctx.pool.query<{ id: string }>('SELECT id FROM organisations LIMIT 1');
    organisationId = rows[0]!.id;
  }, 120_000);

  const documentScans = async (sql: string, parameters: unknown[]) =>
    (await executedScans(ctx.pool, sql, parameters)).filter((scan) => scan.relation === 'documents');

  it("reads an organisation's first and next page through documents_organisation_created_idx", async () => {
    const first = organisationDocumentsPage(organisationId, undefined, 20);
    expect(await documentScans(first.sql, first.parameters)).toEqual([
      expect.objectContaining({ index: 'documents_organisation_created_idx' }),
    ]);
    const { rows } = await ctx.pool.query<Record<string, unknown>>(first.sql, first.parameters);
    const cursor = first.page.toPage(rows).pagination.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const next = organisationDocumentsPage(organisationId, cursor ?? undefined, 20);
    expect(await documentScans(next.sql, next.parameters)).toEqual([
      expect.objectContaining({ index: 'documents_organisation_created_idx' }),
    ]);
  });

  it('reads one document through documents_pkey', async () => {
    const { rows } = await ctx.pool.query<{ id: string }>(
      'SELECT id FROM documents WHERE organisation_id = $1 LIMIT 1',
      [organisationId],
    );
    expect(await documentScans(DOCUMENT_BY_ID_SQL, [rows[0]!.id, organisationId])).toEqual([
      expect.objectContaining({ index: 'documents_pkey' }),
    ]);
  });

  it("reads a document's first and next page of versions through document_versions_document_created_idx", async () => {
    // 10,000 versions: 100 for each of 100 documents.
    await ctx.pool.query(`
      INSERT INTO document_versions (document_id, name, state, text, preview, characters, created_at)
      SELECT d.id, 'v' || n, '\\x0000'::bytea, '', '', 0, now() - n * interval '1 minute'
        FROM (SELECT id FROM documents LIMIT 100) d, generate_series(1, 100) n`);
    await ctx.pool.query('ANALYZE document_versions');
    const { rows: documents } = await ctx.pool.query<{ document_id: string }>(
      'SELECT document_id FROM document_versions LIMIT 1',
    );
    const documentId = documents[0]!.document_id;
    const versionScans = async (sql: string, parameters: unknown[]) =>
      (await executedScans(ctx.pool, sql, parameters)).filter(
        (scan) => scan.relation === 'document_versions',
      );

    const first = documentVersionsPage(documentId, undefined, 20);
    expect(await versionScans(first.sql, first.parameters)).toEqual([
      expect.objectContaining({ index: 'document_versions_document_created_idx' }),
    ]);
    const { rows } = await ctx.pool.query<Record<string, unknown>>(first.sql, first.parameters);
    const cursor = first.page.toPage(rows).pagination.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const next = documentVersionsPage(documentId, cursor ?? undefined, 20);
    expect(await versionScans(next.sql, next.parameters)).toEqual([
      expect.objectContaining({ index: 'document_versions_document_created_idx' }),
    ]);
  });
});
