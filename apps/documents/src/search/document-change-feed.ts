import type { SqlExecutor } from '@remedy/outbox';
import type { DocumentChange } from './document-change.js';

/**
 * How a document change leaves the API for the search index. DocumentsService calls `inTransaction` inside
 * the transaction that makes the change and `afterCommit` once it committed. The seam of polyglot-b:M-3.
 */
export interface DocumentChangeFeed {
  inTransaction(executor: SqlExecutor, change: DocumentChange): Promise<void>;
  afterCommit(change: DocumentChange): void;
}

export const DOCUMENT_CHANGE_FEED = Symbol('DOCUMENT_CHANGE_FEED');
