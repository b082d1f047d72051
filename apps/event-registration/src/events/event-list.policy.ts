import type { KeysetSort, PageSizeOptions } from '@remedy/pagination';

/**
 * GET /events pages: soonest first, id as the unique tie-breaker; served by events_status_start_idx and
 * events_published_category_idx (same column order). At most 100 events per page (events:S-1).
 */
export const EVENT_LIST_SORT: KeysetSort = [
  { column: 'event.start_datetime', type: 'timestamptz', direction: 'ASC' },
  { column: 'event.id', type: 'uuid', direction: 'ASC' },
];

export const EVENT_LIST_PAGES = { sort: EVENT_LIST_SORT, defaultLimit: 20, maxLimit: 100 } as const;

/**
 * The page sizes GET /events enforces, as a provider (value: EVENT_LIST_PAGES' sizes): the service applies
 * them before the cache and the query, so no code path reaches the database with more than `maxLimit`.
 */
export const EVENT_LIST_PAGE_SIZES = Symbol('EVENT_LIST_PAGE_SIZES');

export type EventListPageSizes = Required<PageSizeOptions>;
