import type { KeysetSort } from '@remedy/pagination';

/** A document's versions, newest first, id as tie-breaker: document_versions_document_created_idx's order. */
export const VERSIONS_SORT: KeysetSort = [
  { column: 'v.created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'v.id', type: 'uuid', direction: 'DESC' },
];

export const VERSION_PAGES = { defaultLimit: 20, maxLimit: 100 } as const;

/** A version's name, in characters (code points, as PostgreSQL's char_length and the table's check count). */
export const MAX_VERSION_NAME_LENGTH = 200;

/** The start of a version's text shown in lists, in characters. */
export const VERSION_PREVIEW_LENGTH = 200;
