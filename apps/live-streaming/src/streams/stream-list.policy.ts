import type { KeysetSort } from '@remedy/pagination';

/**
 * Stream lists, newest start first, the stream id as the unique tie-breaker. The live list's columns match
 * streams_live_started_idx (partial: live rows only), a streamer's past streams streams_user_started_idx, so
 * a page at any depth is one index range scan. At most 100 streams a page.
 */
export const STREAMS_SORT: KeysetSort = [
  { column: 's.started_at', type: 'timestamptz', direction: 'DESC' },
  { column: 's.id', type: 'uuid', direction: 'DESC' },
];

export const STREAM_LIST_PAGES = { defaultLimit: 20, maxLimit: 100 } as const;
