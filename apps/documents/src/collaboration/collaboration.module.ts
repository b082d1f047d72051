import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module.js';
import { CollaborationMetrics } from './collaboration-metrics.js';
import { COLLABORATION_ROOM_FACTORY, createCollaborationRoom } from './collaboration-room-factory.js';
import { CollaborationGateway } from './collaboration.gateway.js';
import { DocumentContent } from './document-content.js';
import { RELAYED_MESSAGE_FILTER, takeEveryRelayedMessage } from './relayed-message-filter.js';

/**
 * WebSocket /collab: co-editing a document's content with Yjs, persisted in document_updates; the text reaches
 * search through DocumentsService (its change feed). Version history reads and appends the content through
 * DocumentContent and sends a restore to the editors through the gateway.
 */
@Module({
  imports: [DocumentsModule],
  providers: [
    { provide: COLLABORATION_ROOM_FACTORY, useValue: createCollaborationRoom },
    { provide: RELAYED_MESSAGE_FILTER, useValue: takeEveryRelayedMessage },
    CollaborationGateway,
    CollaborationMetrics,
    DocumentContent,
  ],
  exports: [CollaborationGateway, DocumentContent],
})
export class CollaborationModule {}
