import { buildKeysetSql, type KeysetSqlFragment } from '@remedy/pagination';
import { DOCUMENT_PAGES, DOCUMENTS_SORT } from './documents.policy.js';
import { organisationDocumentsPageSql } from './documents.sql.js';

export interface OrganisationDocumentsPageQuery {
  sql: string;
  parameters: unknown[];
  page: KeysetSqlFragment;
}

/**
 * The statement of one page of an organisation's documents, newest first. Built in one place so the index test
 * plans exactly the statement the API runs. Throws the pagination library's 400s for a bad cursor or size.
 */
export function organisationDocumentsPage(
  organisationId: string,
  cursor: string | undefined,
  limit: number | undefined,
): OrganisationDocumentsPageQuery {
  const page = buildKeysetSql(
    {
      sort: DOCUMENTS_SORT,
      scope: { endpoint: 'GET /documents', filter: { organisationId } },
      cursor: cursor ?? null,
      ...(limit === undefined ? {} : { limit }),
      ...DOCUMENT_PAGES,
    },
    { parameterOffset: 1 },
  );
  return { sql: organisationDocumentsPageSql(page), parameters: [organisationId, ...page.parameters], page };
}
