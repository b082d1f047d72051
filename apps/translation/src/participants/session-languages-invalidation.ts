import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Worker, type ConnectionOptions } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { SESSION_EVENTS_QUEUE_NAME, type SessionEventJob } from '../events/session-events-queue.js';
import { SESSION_EVENT_TOPICS } from '../events/session-events.js';
import { SessionLanguages } from './session-languages.js';

const CHANGES_PARTICIPANTS: ReadonlySet<string> = new Set([
  SESSION_EVENT_TOPICS.participantJoined,
  SESSION_EVENT_TOPICS.participantLeft,
]);

/**
 * Consumes the session events the outbox relay publishes: a join (or a language switch) and a leave invalidate
 * the session's cached language map (polyglot-a:S-3, polyglot-b:C-1); other topics are done with at once. An
 * invalidation is idempotent (a fresh version each time), so a redelivered event needs no dedupe; one that fails
 * (Redis unreachable) is retried with backoff by BullMQ.
 */
@Injectable()
export class SessionLanguagesInvalidation implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SessionLanguagesInvalidation');
  private worker: Worker<SessionEventJob> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(SessionLanguages) private readonly languages: SessionLanguages,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.worker = new Worker<SessionEventJob>(
      SESSION_EVENTS_QUEUE_NAME,
      async (job) => {
        if (CHANGES_PARTICIPANTS.has(job.data.topic))
          await this.languages.invalidate(job.data.payload.sessionId);
      },
      { connection: this.connection, prefix: this.config.redis.queuePrefix, concurrency: 16 },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`event ${job?.data.outboxId ?? '?'} attempt failed: ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    await this.worker.waitUntilReady();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }
}
