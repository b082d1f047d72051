import { buildKeysetSql, type KeysetSqlFragment } from '@remedy/pagination';
import { VERSION_PAGES, VERSIONS_SORT } from './document-versions.policy.js';
import { documentVersionsPageSql } from './document-versions.sql.js';

export interface DocumentVersionsPageQuery {
  sql: string;
  parameters: unknown[];
  page: KeysetSqlFragment;
}

/**
 * The statement of one page of a document's versions, newest first, with a cursor bound to the document (a
 * cursor of another document's list is a 400). Throws the pagination library's 400s for a bad cursor or size.
 */
export function documentVersionsPage(
  documentId: string,
  cursor: string | undefined,
  limit: number | undefined,
): DocumentVersionsPageQuery {
  const page = buildKeysetSql(
    {
      sort: VERSIONS_SORT,
      scope: { endpoint: 'GET /documents/:id/versions', filter: { documentId } },
      cursor: cursor ?? null,
      ...(limit === undefined ? {} : { limit }),
      ...VERSION_PAGES,
    },
    { parameterOffset: 1 },
  );
  return { sql: documentVersionsPageSql(page), parameters: [documentId, ...page.parameters], page };
}
