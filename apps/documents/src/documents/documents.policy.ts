import type { KeysetSort } from '@remedy/pagination';

/** An organisation's documents, newest first, id as tie-breaker: documents_organisation_created_idx's order. */
export const DOCUMENTS_SORT: KeysetSort = [
  { column: 'd.created_at', type: 'timestamptz', direction: 'DESC' },
  { column: 'd.id', type: 'uuid', direction: 'DESC' },
];

export const DOCUMENT_PAGES = { defaultLimit: 20, maxLimit: 100 } as const;

/** Roles that change a document (rename it, co-edit its content); a viewer reads it and is seen in presence. */
export const DOCUMENT_WRITER_ROLES: readonly string[] = ['admin', 'editor'];
