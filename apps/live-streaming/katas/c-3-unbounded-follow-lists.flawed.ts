import { Inject, Injectable } from '@nestjs/common';
import { buildKeysetSql, decodeKeysetCursor, type KeysetPage } from '@remedy/pagination';
import { DataSource } from 'typeorm';
import type { FollowListQueries, FollowPageRequest } from '../src/follows/follow-list.queries.js';
import { FOLLOWERS_SORT } from '../src/follows/follow-list.policy.js';
import type { FollowEntryDto } from '../src/follows/follow-page.dto.js';

/*
 * livestream:C3 — the design's list endpoints: `GET /api/users/{user_id}/followers` (and `/following`) "lack
 * pagination parameters", so a popular streamer's list comes back whole: 100,000 rows through the app in
 * one response.
 *
 * UnboundedFollowListQueries takes FollowListQueries' place: the same routes, the same joined columns, every row.
 */
const ENTRY_COLUMNS = `p.username, p.display_name AS "displayName", p.avatar_url AS "avatarUrl",
       to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "followedAt"`;

@Injectable()
export class UnboundedFollowListQueries implements Pick<FollowListQueries, 'followers' | 'following'> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async followers(userId: string): Promise<KeysetPage<FollowEntryDto>> {
    const data = await this.dataSource.query<FollowEntryDto[]>(
      `SELECT f.follower_id AS "userId", ${ENTRY_COLUMNS}
         FROM follows f JOIN profiles p ON p.user_id = f.follower_id
        WHERE f.following_id = $1 ORDER BY f.created_at DESC`,
      [userId],
    );
    return { data, pagination: { nextCursor: null, hasMore: false } };
  }

  async following(userId: string): Promise<KeysetPage<FollowEntryDto>> {
    const data = await this.dataSource.query<FollowEntryDto[]>(
      `SELECT f.following_id AS "userId", ${ENTRY_COLUMNS}
         FROM follows f JOIN profiles p ON p.user_id = f.following_id
        WHERE f.follower_id = $1 ORDER BY f.created_at DESC`,
      [userId],
    );
    return { data, pagination: { nextCursor: null, hasMore: false } };
  }
}

/*
 * Close cousin, put back into the remediated service: pages and cursors, but the seek compares the follow time
 * alone (`created_at < $cursor`), the tie-breaker forgotten in the WHERE. Follows made in the same microsecond
 * (a bulk import, a raid) that straddle a page boundary are skipped.
 */
@Injectable()
export class TieBreakerDroppedFollowListQueries implements Pick<
  FollowListQueries,
  'followers' | 'following'
> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async followers(userId: string, request: FollowPageRequest): Promise<KeysetPage<FollowEntryDto>> {
    const scope = { endpoint: 'GET /users/:id/followers', filter: { userId } };
    const page = buildKeysetSql(
      {
        sort: FOLLOWERS_SORT,
        scope,
        cursor: null,
        ...(request.limit === undefined ? {} : { limit: request.limit }),
      },
      { parameterOffset: 2 },
    );
    const after = request.cursor
      ? decodeKeysetCursor(request.cursor, { sort: FOLLOWERS_SORT, scope })[0]
      : null;
    const rows = await this.dataSource.query<FollowEntryDto[]>(
      `SELECT f.follower_id AS "userId", ${ENTRY_COLUMNS}, ${page.select}
         FROM follows f JOIN profiles p ON p.user_id = f.follower_id
        WHERE f.following_id = $1 AND ($2::timestamptz IS NULL OR f.created_at < $2::timestamptz)
        ORDER BY ${page.orderBy} LIMIT ${page.limit}`,
      [userId, after, ...page.parameters],
    );
    return page.toPage(rows);
  }

  following(): Promise<KeysetPage<FollowEntryDto>> {
    return Promise.reject(new Error('not part of this cousin'));
  }
}
