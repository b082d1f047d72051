import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OutboxEnvelope } from '@remedy/outbox';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Worker, type ConnectionOptions } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { DOCUMENT_SEARCH_QUEUE, type DocumentChange } from './document-change.js';
import { SearchIndexLag } from './search-index-lag.js';
import type { SearchIndexer } from './search-indexer.js';
import { SEARCH_INDEX_WRITER, SearchIndexWriter } from './search-index-writer.js';

/**
 * polyglot-b:M-3, indexer side: a job completes only after its change is committed to `document_search`, so a
 * worker that dies mid-change leaves the job claimed; when its lock lapses (SEARCH_JOB_LOCK_MS) another worker
 * takes it again. Applying a change twice or late is harmless: the upsert keeps the newest version. Each change
 * that reached the index adds its lag to the shared histogram the API exports.
 */
@Injectable()
export class QueuedSearchIndexer implements SearchIndexer {
  private readonly logger = new Logger('SearchIndexer');
  private worker: Worker<OutboxEnvelope<DocumentChange>> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SEARCH_INDEX_WRITER) private readonly writer: SearchIndexWriter,
    @Inject(SearchIndexLag) private readonly lag: SearchIndexLag,
  ) {}

  async start(): Promise<void> {
    const { search, redis } = this.config;
    this.worker = new Worker<OutboxEnvelope<DocumentChange>>(
      DOCUMENT_SEARCH_QUEUE,
      async (job) => {
        const lagSeconds = await this.writer.apply(this.dataSource, job.data.payload);
        // Only a change that reached the index is a lag; the metric must not fail a job whose change committed.
        if (lagSeconds !== undefined)
          await this.lag
            .observe(lagSeconds)
            .catch((error: Error) => this.logger.warn(`index lag not recorded: ${error.message}`));
      },
      {
        connection: this.connection,
        prefix: redis.queuePrefix,
        concurrency: search.indexerConcurrency,
        lockDuration: search.jobLockMs,
        stalledInterval: search.jobLockMs,
      },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`change ${job?.data.outboxId ?? '?'} failed: ${error.message}`),
    );
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    await this.worker?.close();
  }
}
