import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SEARCH_INDEXER, type SearchIndexer } from './search-indexer.js';

/** Starts whichever SearchIndexer the worker runs once the application is up, and stops it on shutdown. */
@Injectable()
export class SearchIndexerLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(SEARCH_INDEXER) private readonly indexer: SearchIndexer) {}

  onApplicationBootstrap(): Promise<void> {
    return this.indexer.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.indexer.stop();
  }
}
