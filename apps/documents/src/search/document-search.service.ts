import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import { searchDocumentsPageSql } from './document-search.sql.js';
import { SEARCH_PAGES, SEARCH_SORT } from './search.policy.js';
import type { SearchHitDto } from './search-result.dto.js';

/**
 * Searches the caller's organisation's entries of the search index. The index trails the documents table by
 * the indexer's lag (polyglot-b:M-3), so a change shows here a moment after its write answered.
 */
@Injectable()
export class DocumentSearchService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async search(
    member: Member,
    q: string,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<KeysetPage<SearchHitDto>> {
    // The cursor is bound to the organisation and the query: a cursor of another search is a 400.
    const page = buildKeysetSql(
      {
        sort: SEARCH_SORT,
        scope: { endpoint: 'GET /documents/search', filter: { organisationId: member.organisationId, q } },
        cursor: cursor ?? null,
        ...(limit === undefined ? {} : { limit }),
        ...SEARCH_PAGES,
      },
      { parameterOffset: 2 },
    );
    const rows = await this.dataSource.query<SearchHitDto[]>(searchDocumentsPageSql(page), [
      member.organisationId,
      q,
      ...page.parameters,
    ]);
    return page.toPage(rows);
  }
}
