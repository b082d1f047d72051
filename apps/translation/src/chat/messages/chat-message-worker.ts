import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { bindCorrelation, runJobWithCorrelation } from '@remedy/observability';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Worker, type ConnectionOptions } from 'bullmq';
import { APP_CONFIG } from '../../app-config.module.js';
import type { AppConfig } from '../../config.js';
import { ChatMessageDelivery } from './chat-message-delivery.js';
import { CHAT_MESSAGES_QUEUE_NAME, type ChatMessageJob } from './chat-message-queue.js';

/**
 * The worker process's consumer of CHAT_MESSAGES_QUEUE_NAME: CHAT_WORKER_CONCURRENCY messages at once, each waiting on
 * the provider, so a slow provider delays translations, never another socket's commands. A job that throws
 * (PostgreSQL or Redis unreachable) is retried with backoff; a job lost with its worker is taken over by
 * another worker once its lock expires, or enqueued again by the sweep.
 */
@Injectable()
export class ChatMessageWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ChatMessageWorker');
  private worker: Worker<ChatMessageJob> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(ChatMessageDelivery) private readonly delivery: ChatMessageDelivery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const timeoutMs = this.config.chat.translationTimeoutMs;
    this.worker = new Worker<ChatMessageJob>(
      CHAT_MESSAGES_QUEUE_NAME,
      // polyglot-b:I-3: in the context of the socket message that stored it, so every line of the delivery, the
      // provider calls' included, names that message's request ID, user and session, and the message itself.
      (job) =>
        runJobWithCorrelation(job, async () => {
          bindCorrelation({ messageId: job.data.messageId });
          // ADR 0089: the carried message on the first start only; a later start may follow a delivery that
          // finished (a worker lost after the delivered mark), which only the row's mark tells.
          const carried = job.attemptsStarted <= 1 ? job.data.message : undefined;
          await this.delivery.deliver(job.data.messageId, { timeoutMs }, carried);
        }),
      {
        connection: this.connection,
        prefix: this.config.redis.queuePrefix,
        concurrency: this.config.chat.workerConcurrency,
      },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`message ${job?.data.messageId ?? '?'} attempt failed: ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    await this.worker.waitUntilReady();
  }

  /** Lets the messages in hand finish (each is bounded by the translation timeout), then stops taking jobs. */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }
}
