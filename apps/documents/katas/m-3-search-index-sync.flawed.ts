import { Inject, Injectable } from '@nestjs/common';
import type { OutboxEnvelope } from '@remedy/outbox';
import { QUEUE_CONNECTION, REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { DOCUMENT_SEARCH_QUEUE, type DocumentChange } from '../src/search/document-change.js';
import type { DocumentChangeFeed } from '../src/search/document-change-feed.js';
import type { SearchIndexer } from '../src/search/search-indexer.js';
import {
  SEARCH_INDEX_WRITER,
  SearchIndexWriter,
  upsertParameters,
} from '../src/search/search-index-writer.js';

/*
 * polyglot-b:M-3, the review's design: the search index is named but how changes reach it is not. The common
 * reading is "after saving, tell the indexer": the API commits, then announces the change on a channel that
 * stores nothing (Redis PUBLISH), and the indexer applies what it hears in memory. A change announced while no
 * indexer listens, or heard by an indexer that dies before applying it, is never indexed.
 */

const changesChannel = (config: AppConfig) => `${config.redis.keyPrefix}document-changes`;

/** API side: nothing in the transaction; a fire-and-forget PUBLISH after the commit. */
@Injectable()
export class AfterCommitChannelFeed implements DocumentChangeFeed {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
  ) {}

  async inTransaction(): Promise<void> {
    // the review's design writes nothing about the change
  }

  afterCommit(change: DocumentChange): void {
    void this.redis.cache.publish(changesChannel(this.config), JSON.stringify(change)).catch(() => undefined);
  }
}

/** Worker side: subscribes to the channel and applies each change as it arrives, holding it only in memory. */
@Injectable()
export class ChannelSearchIndexer implements SearchIndexer {
  private subscriber: Redis | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SEARCH_INDEX_WRITER) private readonly writer: SearchIndexWriter,
  ) {}

  async start(): Promise<void> {
    this.subscriber = new Redis(this.config.redis.url);
    this.subscriber.on('message', (_channel: string, message: string) => {
      void this.writer.apply(this.dataSource, JSON.parse(message) as DocumentChange).catch(() => undefined);
    });
    await this.subscriber.subscribe(changesChannel(this.config));
  }

  stop(): Promise<void> {
    this.subscriber?.disconnect();
    return Promise.resolve();
  }
}

/* Flaws put back into the remediated design (the outbox and the queue stay). */

/** The upsert without its version guard: the last change applied wins, even when it is an older one. */
@Injectable()
export class UnguardedSearchIndexWriter extends SearchIndexWriter {
  override async apply(
    executor: { query(text: string, params?: unknown[]): Promise<unknown> },
    change: DocumentChange,
  ): Promise<undefined> {
    await executor.query(
      `INSERT INTO document_search AS s
         (document_id, organisation_id, title, search, deleted, source_version, source_changed_at, indexed_at)
       VALUES ($3, $4, CASE WHEN $6 THEN '' ELSE $1 END,
               CASE WHEN $6 THEN ''::tsvector
                    ELSE setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('simple', $2), 'B') END,
               $6, $5, $7, clock_timestamp())
       ON CONFLICT (document_id) DO UPDATE
          SET title = EXCLUDED.title, search = EXCLUDED.search, deleted = EXCLUDED.deleted,
              source_version = EXCLUDED.source_version, source_changed_at = EXCLUDED.source_changed_at,
              indexed_at = EXCLUDED.indexed_at`,
      upsertParameters(change),
    );
    return undefined;
  }
}

/** The queue consumer acknowledges each job first and applies its change afterwards, unawaited. */
@Injectable()
export class AckBeforeIndexSearchIndexer implements SearchIndexer {
  private worker: Worker<OutboxEnvelope<DocumentChange>> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SEARCH_INDEX_WRITER) private readonly writer: SearchIndexWriter,
  ) {}

  async start(): Promise<void> {
    const { search, redis } = this.config;
    this.worker = new Worker<OutboxEnvelope<DocumentChange>>(
      DOCUMENT_SEARCH_QUEUE,
      (job) => {
        void this.writer.apply(this.dataSource, job.data.payload).catch(() => undefined);
        return Promise.resolve();
      },
      {
        connection: this.connection,
        prefix: redis.queuePrefix,
        concurrency: search.indexerConcurrency,
        lockDuration: search.jobLockMs,
        stalledInterval: search.jobLockMs,
      },
    );
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    await this.worker?.close();
  }
}
