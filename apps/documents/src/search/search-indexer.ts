/**
 * The worker's consumer of document changes: it starts with the worker and stops with it. The worker-side
 * seam of polyglot-b:M-3 (QueuedSearchIndexer in production).
 */
export interface SearchIndexer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const SEARCH_INDEXER = Symbol('SEARCH_INDEXER');
