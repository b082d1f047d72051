import { buildKeysetSql, type KeysetSqlFragment } from '@remedy/pagination';
import { searchDocumentsPageSql } from './document-search.sql.js';
import { SEARCH_PAGES, SEARCH_SORT } from './search.policy.js';

export interface DocumentSearchPageQuery {
  sql: string;
  parameters: unknown[];
  page: KeysetSqlFragment;
}

/**
 * The statement of one page of a search, built in one place so the search's plan test reads exactly the
 * statement the API runs. The cursor is bound to the organisation and the query: a cursor of another search is
 * a 400, as are a bad cursor or page size.
 */
export function documentSearchPage(
  organisationId: string,
  q: string,
  cursor: string | undefined,
  limit: number | undefined,
): DocumentSearchPageQuery {
  const page = buildKeysetSql(
    {
      sort: SEARCH_SORT,
      scope: { endpoint: 'GET /documents/search', filter: { organisationId, q } },
      cursor: cursor ?? null,
      ...(limit === undefined ? {} : { limit }),
      ...SEARCH_PAGES,
    },
    { parameterOffset: 2 },
  );
  return { sql: searchDocumentsPageSql(page), parameters: [organisationId, q, ...page.parameters], page };
}
