import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Queue, type ConnectionOptions } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../app-config.module.js';
import type { AppConfig } from '../../config.js';
import { CHAT_MESSAGES_QUEUE_NAME, chatMessageJob, type ChatMessageJob } from './chat-message-queue.js';
import { UNDELIVERED_CHAT_MESSAGES_SQL } from './chat-messages.sql.js';

const SWEEP_BATCH = 500;

/**
 * Enqueues again every message still undelivered CHAT_REDELIVER_AFTER_MS after it was stored: its enqueue
 * failed after the commit, or the queue Redis lost the job (a restart without persistence). Jobs carry the
 * message id, so a message whose job still exists is not enqueued twice. Runs at start-up and every
 * CHAT_REDELIVERY_SWEEP_MS.
 */
@Injectable()
export class ChatRedeliverySweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ChatRedeliverySweep');
  private queue: Queue<ChatMessageJob> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = new Queue<ChatMessageJob>(CHAT_MESSAGES_QUEUE_NAME, {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
    });
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.chat.redeliverySweepMs);
    this.timer.unref();
  }

  /** One pass; returns how many messages it enqueued again (a pass already running is awaited instead). */
  async sweep(): Promise<number> {
    this.running ??= this.enqueueUndelivered()
      .catch((error: unknown) => {
        this.logger.warn(`sweep failed: ${String(error)}`);
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.queue?.close();
  }

  /** One page a pass: rows stay undelivered until their jobs run, so a second page would re-read the first. */
  private async enqueueUndelivered(): Promise<number> {
    if (this.queue === undefined) return 0;
    const rows: Array<{ id: string }> = await this.dataSource.query(UNDELIVERED_CHAT_MESSAGES_SQL, [
      this.config.chat.redeliverAfterMs,
      SWEEP_BATCH,
    ]);
    if (rows.length > 0) await this.queue.addBulk(rows.map((row) => chatMessageJob(row.id)));
    return rows.length;
  }
}
