import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  isOutboxCompleted,
  markOutboxCompleted,
  runOnceWithRedis,
  type OutboxEnvelope,
} from '@remedy/outbox';
import { QUEUE_REDIS, QUEUE_CONNECTION } from '@remedy/pooling';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { PRIMARY_POOL } from '../registrations/primary-pool.provider.js';
import type { RegistrationMessage } from '../registrations/registration-topics.js';
import { MailMetrics } from './mail-metrics.js';
import { CONFIRMATION_MAILER, NOTIFICATIONS_QUEUE } from './notification-queue.js';
import {
  isRegistrationMailTopic,
  registrationMail,
  type RegistrationMailFacts,
} from './registration-mail.js';
import { SES_CLIENT } from './ses-client.factory.js';

const DONE_TTL_MS = 14 * 24 * 3_600_000;
const LEASE_MS = 60_000;

/**
 * events:S-3, consumer side. One job per outbox message (relayed by OutboxRelayService): load the facts,
 * send through SES. Retries (5 attempts, exponential backoff: the outbox's job options) never send twice:
 * runOnceWithRedis records the message id in the command right after SES answers (SES has no idempotency
 * key, so that one round trip is the duplicate window on a kill -9), and a redelivery finds the mark. The
 * mark lives on the queue Redis (noeviction). Then the outbox row is acknowledged in Postgres: the relay
 * republishes anything left unacknowledged (ADR 0007), and the acknowledgement stops a resend if a queue
 * Redis restart lost the mark.
 */
@Injectable()
export class ConfirmationMailJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ConfirmationMail');
  private worker: Worker<OutboxEnvelope<RegistrationMessage>> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(QUEUE_REDIS) private readonly queueRedis: Redis,
    @Inject(PRIMARY_POOL) private readonly pool: pg.Pool,
    @Inject(SES_CLIENT) private readonly ses: SESv2Client,
    private readonly metrics: MailMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker(NOTIFICATIONS_QUEUE, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
      concurrency: 10,
    });
    // A job whose keys vanished with a queue Redis restart fails its bookkeeping; without a listener the
    // emitted 'error' would be unhandled. The redelivery sweep republishes the message.
    this.worker.on('error', (error) => this.logger.warn(`queue worker error: ${error.message}`));
    this.metrics.watchFailures(
      this.worker,
      'confirmation',
      this.logger,
      (job) => `mail for outbox message ${job.data.outboxId}`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job<OutboxEnvelope<RegistrationMessage>>): Promise<void> {
    const { outboxId, topic, payload } = job.data;
    // The Postgres acknowledgement outlives the Redis "sent" mark (a queue Redis restart without AOF loses
    // the mark): a redelivery of an acknowledged message must not send again.
    if (await isOutboxCompleted(this.pool, outboxId)) return;
    if (isRegistrationMailTopic(topic)) await this.sendOnce(outboxId, topic, payload);
    // The end-to-end acknowledgement, in Postgres so a queue Redis that loses the job cannot lose it too:
    // until it is written, the relay's redelivery sweep publishes the message again.
    await markOutboxCompleted(this.pool, outboxId);
  }

  private async sendOnce(
    outboxId: string,
    topic: Parameters<typeof registrationMail>[0],
    payload: RegistrationMessage,
  ): Promise<void> {
    await runOnceWithRedis(
      this.queueRedis,
      CONFIRMATION_MAILER,
      outboxId,
      async () => {
        const facts = await this.loadFacts(payload.registrationId);
        if (!facts) return;
        const mail = registrationMail(topic, facts);
        await this.ses.send(
          new SendEmailCommand({
            FromEmailAddress: this.config.mail.fromAddress,
            Destination: { ToAddresses: [facts.email] },
            Content: { Simple: { Subject: { Data: mail.subject }, Body: { Text: { Data: mail.text } } } },
          }),
        );
        this.metrics.sent.inc({ kind: 'confirmation' });
      },
      { ttlMs: DONE_TTL_MS, leaseMs: LEASE_MS },
    );
  }

  private async loadFacts(registrationId: string): Promise<RegistrationMailFacts | undefined> {
    const { rows } = await this.pool.query<RegistrationMailFacts>(
      `SELECT u.email, u.name, e.title AS "eventTitle", e.start_datetime AS "startsAt", e.venue
         FROM registrations r JOIN users u ON u.id = r.user_id JOIN events e ON e.id = r.event_id
        WHERE r.id = $1`,
      [registrationId],
    );
    return rows[0];
  }
}
