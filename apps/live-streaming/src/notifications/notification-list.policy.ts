import type { KeysetSort } from '@remedy/pagination';

/**
 * A member's notices, newest first, the notice id as the unique tie-breaker: the columns of
 * notifications_user_created_idx, so a page at any depth is one index range scan. At most 100 a page.
 */
export const NOTIFICATIONS_SORT: KeysetSort = [
  { column: 'n.created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'n.id', type: 'uuid', direction: 'DESC' },
];

export const NOTIFICATION_PAGES = { defaultLimit: 20, maxLimit: 100 } as const;
