/**
 * One committed change of a document, as the search index needs it: the whole indexed state at `version`, or a
 * tombstone (`deleted`) whose version is one past the document's last. Carrying the state (not just the id)
 * lets the indexer apply a change without reading the documents table, and the version lets it refuse one
 * that is older than what it already holds.
 */
export interface DocumentChange {
  documentId: string;
  organisationId: string;
  version: number;
  title: string;
  body: string;
  deleted: boolean;
  /** When the change's transaction ran (ISO 8601): the start of the index lag. */
  changedAt: string;
}

/** The outbox topic and BullMQ queue that carry document changes to the search indexer. */
export const DOCUMENT_CHANGED_TOPIC = 'document.changed';
export const DOCUMENT_SEARCH_QUEUE = 'document-search';
