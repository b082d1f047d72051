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
import { SESSION_EVENTS_QUEUE_NAME } from './session-events-queue.js';

/**
 * Moves committed session events (started, ended, joined, left) from the outbox to SESSION_EVENTS_QUEUE_NAME, on a
 * pool of its own (one connection in LISTEN, one per claim batch), so the worker's consumers hear of every change
 * that committed, even one whose API instance died right after the commit. A relay killed mid-batch leaves its
 * rows unpublished, and the next relay publishes them under the same job ids.
 */
@Injectable()
export class SessionEventsRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SessionEventsRelay');
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
      name: `${database.applicationName}-relay`,
      connectionString: database.url,
      max: 2,
      connectionTimeoutMillis: database.connectionTimeoutMs,
      statementTimeoutMs: database.statementTimeoutMs,
      idleInTransactionSessionTimeoutMs: database.idleInTransactionTimeoutMs,
    });
    this.queue = new Queue(SESSION_EVENTS_QUEUE_NAME, {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
    });
    this.relay = new OutboxRelay({
      pool: this.pool,
      publisher: new BullMqPublisher({ queue: this.queue }),
      // Joins and leaves NOTIFY as they commit: the relay wakes within milliseconds, and the poll only covers
      // notifications missed while it reconnected.
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
