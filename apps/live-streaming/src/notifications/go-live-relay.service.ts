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
import { GO_LIVE_FANOUT_QUEUE, notificationJobOptions } from './notification-queues.js';

/**
 * livestream:C1, relay side: moves committed go-live outbox rows to the fan-out queue (job id = outbox id).
 * Woken by the writer's NOTIFY, with a poll as the fallback; on a pool of its own (the LISTEN connection and
 * one per claim batch). A fan-out not acknowledged within NOTIFY_REDELIVERY_AFTER_MS is published again.
 */
@Injectable()
export class GoLiveRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GoLiveRelay');
  private pool: PgPool | undefined;
  private queue: Queue | undefined;
  private relay: OutboxRelay | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { database, notifications } = this.config;
    this.pool = createPgPool({
      name: `${database.applicationName}-outbox-relay`,
      connectionString: database.url,
      max: 2,
      connectionTimeoutMillis: database.connectionTimeoutMs,
      statementTimeoutMs: database.statementTimeoutMs,
      idleInTransactionSessionTimeoutMs: database.idleInTransactionTimeoutMs,
    });
    this.queue = new Queue(GO_LIVE_FANOUT_QUEUE, {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
    });
    this.relay = new OutboxRelay({
      pool: this.pool,
      publisher: new BullMqPublisher({
        queue: this.queue,
        jobOptions: notificationJobOptions(notifications),
      }),
      batchSize: 100,
      pollIntervalMs: notifications.relayPollMs,
      retry: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
      redelivery: { visibilityTimeoutMs: notifications.redeliveryAfterMs },
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
