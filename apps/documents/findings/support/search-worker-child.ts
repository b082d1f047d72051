import { createInterface } from 'node:readline';
import type { ProviderPlug } from '@remedy/testing';
import {
  AckBeforeIndexSearchIndexer,
  ChannelSearchIndexer,
  UnguardedSearchIndexWriter,
} from '../../katas/m-3-search-index-sync.flawed.js';
import { SEARCH_INDEXER } from '../../src/search/search-indexer.js';
import { SEARCH_INDEX_WRITER } from '../../src/search/search-index-writer.js';
import { startTestWorker } from './start-test-worker.js';

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

const PLUGS: Record<SearchWorkerIndexer, ProviderPlug[]> = {
  real: [],
  channel: [{ provide: SEARCH_INDEXER, useClass: ChannelSearchIndexer }],
  'unguarded upsert': [{ provide: SEARCH_INDEX_WRITER, useClass: UnguardedSearchIndexWriter }],
  'ack before indexing': [{ provide: SEARCH_INDEXER, useClass: AckBeforeIndexSearchIndexer }],
};

/**
 * One documents worker in its own Node process, so a proof can kill it with SIGKILL: it prints `{"ready":true}`
 * once its relay and indexer run, then runs until its stdin closes and shuts down gracefully.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as SearchWorkerJob;
  const worker = await startTestWorker(job, job.overrides, PLUGS[job.indexer]);
  process.stdout.write('{"ready":true}\n');
  const stdin = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => stdin.once('close', resolve));
  await worker.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
