import { Module } from '@nestjs/common';
import { CollaborationModule } from '../collaboration/collaboration.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { DocumentVersionsController } from './document-versions.controller.js';
import { DocumentVersionsService } from './document-versions.service.js';

/**
 * Version history: named snapshots of a document's co-edited content and their restore, which reaches the
 * editors through the collaboration gateway like an edit.
 */
@Module({
  imports: [DocumentsModule, CollaborationModule],
  controllers: [DocumentVersionsController],
  providers: [DocumentVersionsService],
})
export class DocumentVersionsModule {}
