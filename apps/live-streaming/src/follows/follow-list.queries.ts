import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage, type KeysetSort } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { FollowEntryDto } from './follow-page.dto.js';
import {
  FOLLOW_LIST_PAGE_SIZES,
  FOLLOWERS_SORT,
  FOLLOWING_SORT,
  type FollowListPageSizes,
} from './follow-list.policy.js';
import { followersPageSql, followingPageSql } from './follow-list.sql.js';
import type { KeysetSqlFragment } from '@remedy/pagination';

export interface FollowPageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * The follow lists as keyset pages (livestream:C3): one bounded statement per page whatever the list's size,
 * and a cursor that names the last row seen, so follows added or removed while a client pages never shift the
 * rows after it (no duplicates, no skips). The seam the C3 proof plugs the review's unbounded lists into.
 */
@Injectable()
export class FollowListQueries {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(FOLLOW_LIST_PAGE_SIZES) private readonly pageSizes: FollowListPageSizes,
  ) {}

  followers(userId: string, request: FollowPageRequest): Promise<KeysetPage<FollowEntryDto>> {
    return this.page('GET /users/:id/followers', FOLLOWERS_SORT, followersPageSql, userId, request);
  }

  following(userId: string, request: FollowPageRequest): Promise<KeysetPage<FollowEntryDto>> {
    return this.page('GET /users/:id/following', FOLLOWING_SORT, followingPageSql, userId, request);
  }

  private async page(
    endpoint: string,
    sort: KeysetSort,
    sql: (page: KeysetSqlFragment) => string,
    userId: string,
    request: FollowPageRequest,
  ): Promise<KeysetPage<FollowEntryDto>> {
    const page = buildKeysetSql(
      {
        sort,
        scope: { endpoint, filter: { userId } },
        cursor: request.cursor ?? null,
        ...(request.limit === undefined ? {} : { limit: request.limit }),
        ...this.pageSizes,
      },
      { parameterOffset: 1 },
    );
    const rows = await this.dataSource.query<FollowEntryDto[]>(sql(page), [userId, ...page.parameters]);
    return page.toPage(rows);
  }
}
