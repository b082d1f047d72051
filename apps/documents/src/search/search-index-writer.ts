import { Injectable } from '@nestjs/common';
import { queryRows, type SqlExecutor } from '@remedy/outbox';
import type { DocumentChange } from './document-change.js';
import { UPSERT_DOCUMENT_SEARCH_SQL } from './document-search.sql.js';

/**
 * Applies a document change to `document_search`; an older or repeated change is a no-op (the version guard).
 * Resolves to the change's index lag in seconds, or undefined when it changed nothing.
 */
@Injectable()
export class SearchIndexWriter {
  async apply(executor: SqlExecutor, change: DocumentChange): Promise<number | undefined> {
    // An INSERT … RETURNING resolves to its rows through TypeORM as through pg.
    const [applied] = await queryRows<{ lagSeconds: number }>(
      executor,
      UPSERT_DOCUMENT_SEARCH_SQL,
      upsertParameters(change),
    );
    return applied?.lagSeconds;
  }
}

export const SEARCH_INDEX_WRITER = Symbol('SEARCH_INDEX_WRITER');

/** The upsert's parameters in statement order ($1 title … $7 changed at). */
export function upsertParameters(change: DocumentChange): unknown[] {
  return [
    change.title,
    change.body,
    change.documentId,
    change.organisationId,
    change.version,
    change.deleted,
    change.changedAt,
  ];
}
