import type { KeysetSort } from '@remedy/pagination';

/** A session's participants by user id: participants_pkey's order, so any page is one index range scan. */
export const PARTICIPANTS_SORT: KeysetSort = [{ column: 'p.user_id', type: 'uuid', direction: 'ASC' }];

export const PARTICIPANT_PAGES = { defaultLimit: 50, maxLimit: 100 } as const;

/** Client idempotency keys: a UUID or any short token of letters, digits, `-` and `_`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
