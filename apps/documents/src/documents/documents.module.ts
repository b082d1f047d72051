import { Module } from '@nestjs/common';
import { DOCUMENT_CHANGE_FEED } from '../search/document-change-feed.js';
import { DocumentSearchService } from '../search/document-search.service.js';
import { SearchIndexLag } from '../search/search-index-lag.js';
import { SearchIndexLagMetric } from '../search/search-index-lag.metric.js';
import { OutboxDocumentChangeFeed } from '../search/outbox-document-change-feed.js';
import { SearchController } from '../search/search.controller.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsService } from './documents.service.js';

/* SearchController comes first: /documents/search must not be read as /documents/:id. */
@Module({
  controllers: [SearchController, DocumentsController],
  providers: [
    DocumentsService,
    DocumentSearchService,
    SearchIndexLag,
    SearchIndexLagMetric,
    { provide: DOCUMENT_CHANGE_FEED, useClass: OutboxDocumentChangeFeed },
  ],
  exports: [DocumentsService],
})
export class DocumentsModule {}
