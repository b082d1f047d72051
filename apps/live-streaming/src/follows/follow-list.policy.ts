import type { KeysetSort, PageSizeOptions } from '@remedy/pagination';

/**
 * Follow lists, newest follow first, the other user's id as the unique tie-breaker (livestream:C3). The
 * columns match follows_following_created_idx and follows_follower_created_idx, so a page at any depth is one
 * index range scan (livestream:C2). At most 100 users a page.
 */
export const FOLLOWERS_SORT: KeysetSort = [
  { column: 'f.created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'f.follower_id', type: 'uuid', direction: 'DESC' },
];

export const FOLLOWING_SORT: KeysetSort = [
  { column: 'f.created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'f.following_id', type: 'uuid', direction: 'DESC' },
];

export const FOLLOW_LIST_PAGES = { defaultLimit: 20, maxLimit: 100 } as const;

/**
 * The page sizes the follow lists enforce, as a provider (value: FOLLOW_LIST_PAGES): FollowListQueries applies
 * them before the query, so no caller reaches the database with more than `maxLimit`.
 */
export const FOLLOW_LIST_PAGE_SIZES = Symbol('FOLLOW_LIST_PAGE_SIZES');

export type FollowListPageSizes = Required<PageSizeOptions>;
