import { Inject, Injectable } from '@nestjs/common';
import type { KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { Member } from '../auth/member.js';
import { documentSearchPage } from './document-search-page.js';
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
    const { sql, parameters, page } = documentSearchPage(member.organisationId, q, cursor, limit);
    const rows = await this.dataSource.query<SearchHitDto[]>(sql, parameters);
    return page.toPage(rows);
  }
}
