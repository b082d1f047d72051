import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BullMqPublisher, OutboxRelay } from '@remedy/outbox';
import { createPgPool, type PgPool, QUEUE_CONNECTION } from '@remedy/pooling';
import { Queue, type ConnectionOptions } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { DOCUMENT_SEARCH_QUEUE } from './document-change.js';

/**
 * polyglot-b:M-3, relay side: moves committed document changes from the outbox to the indexer's queue, on a
 * pool of its own (one connection in LISTEN, one per claim batch). A relay killed mid-batch leaves its rows
 * unpublished (the claim transaction dies with its connection), so the next relay publishes them.
 */
@Injectable()
export class SearchOutboxRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SearchOutboxRelay');
  private pool: PgPool | undefined;
  private queue: Queue | undefined;
  private relay: OutboxRelay | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { database } = this.config;
    this.pool = createPgPool({
      name: `${database.applicationName}-search-relay`,
      connectionString: database.url,
      max: 2,
      connectionTimeoutMillis: database.connectionTimeoutMs,
      statementTimeoutMs: database.statementTimeoutMs,
      idleInTransactionSessionTimeoutMs: database.idleInTransactionTimeoutMs,
    });
    this.queue = new Queue(DOCUMENT_SEARCH_QUEUE, {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
    });
    this.relay = new OutboxRelay({
      pool: this.pool,
      publisher: new BullMqPublisher({ queue: this.queue }),
      batchSize: 500,
      // Document writes NOTIFY (a few per second per organisation): the relay wakes within milliseconds, and
      // the poll only covers notifications missed while it reconnected.
      pollIntervalMs: 1_000,
      retry: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
      onError: (error) => this.logger.warn(`relay batch failed: ${String(error)}`),
    });
    await this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay?.stop();
    await this.queue?.close();
    await this.pool?.end();
  }
}
