import type { ProviderPlug } from '@remedy/testing';
import {
  AckBeforeIndexSearchIndexer,
  ChannelSearchIndexer,
  UnguardedSearchIndexWriter,
} from '../../katas/m-3-search-index-sync.flawed.js';
import { SEARCH_INDEXER } from '../../src/search/search-indexer.js';
import { SEARCH_INDEX_WRITER } from '../../src/search/search-index-writer.js';

/** Which indexer the worker runs: the real one, or a kata plugged in at SEARCH_INDEXER / SEARCH_INDEX_WRITER. */
export type SearchWorkerIndexer = 'real' | 'channel' | 'unguarded upsert' | 'ack before indexing';

/** Input of the child, as JSON in argv[2]. */
export interface SearchWorkerJob {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  overrides: Record<string, string>;
  indexer: SearchWorkerIndexer;
}

export const SEARCH_WORKER_PLUGS: Record<SearchWorkerIndexer, ProviderPlug[]> = {
  real: [],
  channel: [{ provide: SEARCH_INDEXER, useClass: ChannelSearchIndexer }],
  'unguarded upsert': [{ provide: SEARCH_INDEX_WRITER, useClass: UnguardedSearchIndexWriter }],
  'ack before indexing': [{ provide: SEARCH_INDEXER, useClass: AckBeforeIndexSearchIndexer }],
};
