import { Injectable } from '@nestjs/common';
import { writeOutboxMessage, type SqlExecutor } from '@remedy/outbox';
import { DOCUMENT_CHANGED_TOPIC, type DocumentChange } from './document-change.js';
import type { DocumentChangeFeed } from './document-change-feed.js';

/**
 * polyglot-b:M-3: the change is an outbox row written in the document's own transaction, so it exists exactly
 * when the change committed; the worker's relay moves it to the indexer's queue (ADR 0045). Nothing is left to
 * do after the commit, so nothing is lost when a process dies right after it.
 */
@Injectable()
export class OutboxDocumentChangeFeed implements DocumentChangeFeed {
  async inTransaction(executor: SqlExecutor, change: DocumentChange): Promise<void> {
    await writeOutboxMessage(executor, {
      topic: DOCUMENT_CHANGED_TOPIC,
      payload: change,
      // One group per document: an SQS FIFO adapter would keep a document's changes in order.
      headers: { 'message-group-id': change.documentId },
    });
  }

  afterCommit(): void {
    // the outbox row committed with the change: the relay takes it from here
  }
}
