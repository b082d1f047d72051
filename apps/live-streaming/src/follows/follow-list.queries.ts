import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, type KeysetPage, type KeysetSort } from '@remedy/pagination';
import { withPrimaryConnection, withReadConnection } from '@remedy/pooling';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReadSource } from './follow-list-routing.js';
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

  /** `source`: where FollowListRouting sends this read (livestream:S6); the primary unless told otherwise. */
  followers(
    userId: string,
    request: FollowPageRequest,
    source: ReadSource = 'primary',
  ): Promise<KeysetPage<FollowEntryDto>> {
    return this.page('GET /users/:id/followers', FOLLOWERS_SORT, followersPageSql, userId, request, source);
  }

  following(
    userId: string,
    request: FollowPageRequest,
    source: ReadSource = 'primary',
  ): Promise<KeysetPage<FollowEntryDto>> {
    return this.page('GET /users/:id/following', FOLLOWING_SORT, followingPageSql, userId, request, source);
  }

  private async page(
    endpoint: string,
    sort: KeysetSort,
    sql: (page: KeysetSqlFragment) => string,
    userId: string,
    request: FollowPageRequest,
    source: ReadSource,
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
    const read = (manager: EntityManager) =>
      manager.query<FollowEntryDto[]>(sql(page), [userId, ...page.parameters]);
    const rows =
      source === 'replica'
        ? await withReadConnection(this.dataSource, read)
        : await withPrimaryConnection(this.dataSource, read);
    return page.toPage(rows);
  }
}
