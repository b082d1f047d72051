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
import { NOTIFICATIONS_QUEUE } from './notification-queue.js';

/**
 * events:S-3, relay side: moves committed outbox rows to the notifications queue, on a pool of its own
 * (one connection per claim batch, a spare for shutdown overlap).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
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
      name: `${database.applicationName}-outbox-relay`,
      connectionString: database.url,
      max: 2,
      connectionTimeoutMillis: database.connectionTimeoutMs,
      statementTimeoutMs: database.statementTimeoutMs,
      idleInTransactionSessionTimeoutMs: database.idleInTransactionTimeoutMs,
    });
    this.queue = new Queue(NOTIFICATIONS_QUEUE, {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
    });
    this.relay = new OutboxRelay({
      pool: this.pool,
      publisher: new BullMqPublisher({ queue: this.queue }),
      batchSize: 200,
      // Registrations write without NOTIFY (ADR 0010): a short poll, one index probe each, wakes the relay.
      listen: false,
      pollIntervalMs: 200,
      retry: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
      // Published but not acknowledged by ConfirmationMailJob in this long: the queue Redis lost the job
      // (restart without AOF), so it is published again under the same id.
      redelivery: { visibilityTimeoutMs: this.config.outbox.redeliveryAfterMs },
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
