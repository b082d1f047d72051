import { Module } from '@nestjs/common';
import { COLLABORATION_ROOM_FACTORY, createCollaborationRoom } from './collaboration-room-factory.js';
import { CollaborationGateway } from './collaboration.gateway.js';
import { DocumentContent } from './document-content.js';

/** WebSocket /collab: co-editing a document's content with Yjs, persisted in document_updates. */
@Module({
  providers: [
    { provide: COLLABORATION_ROOM_FACTORY, useValue: createCollaborationRoom },
    CollaborationGateway,
    DocumentContent,
  ],
  exports: [CollaborationGateway],
})
export class CollaborationModule {}
