import type { KeysetSort } from '@remedy/pagination';

/** An organisation's sessions, newest first, id as tie-breaker: sessions_organisation_created_idx's order. */
export const SESSIONS_SORT: KeysetSort = [
  { column: 's.created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 's.id', type: 'uuid', direction: 'DESC' },
];

export const SESSION_PAGES = { defaultLimit: 20, maxLimit: 100 } as const;
