import { Module } from '@nestjs/common';
import { QueuedSearchIndexer } from './queued-search-indexer.js';
import { SearchIndexLag } from './search-index-lag.js';
import { SEARCH_INDEXER } from './search-indexer.js';
import { SearchIndexerLifecycle } from './search-indexer.lifecycle.js';
import { SEARCH_INDEX_WRITER, SearchIndexWriter } from './search-index-writer.js';
import { SearchOutboxRelayService } from './search-outbox-relay.service.js';

/** The worker's part of search: the outbox relay and the indexer that keeps `document_search` current. */
@Module({
  providers: [
    SearchOutboxRelayService,
    SearchIndexLag,
    { provide: SEARCH_INDEX_WRITER, useClass: SearchIndexWriter },
    { provide: SEARCH_INDEXER, useClass: QueuedSearchIndexer },
    SearchIndexerLifecycle,
  ],
})
export class SearchIndexerModule {}
