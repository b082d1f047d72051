import type { SESv2Client } from '@aws-sdk/client-sesv2';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { QUEUE_CONNECTION } from '@remedy/pooling';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { MailMetrics } from '../notifications/mail-metrics.js';
import { SES_CLIENT } from '../notifications/ses-client.factory.js';
import { CollectRemindersJob } from './collect-reminders.job.js';
import {
  COLLECT_REMINDERS_JOB,
  REMINDER_CRON,
  REMINDER_JOB_OPTIONS,
  REMINDER_SCHEDULER_ID,
  REMINDERS_QUEUE,
  SEND_REMINDER_BATCH_JOB,
  type CollectRemindersData,
  type SendReminderBatchData,
} from './reminder-queue.js';
import { ensureReminderTemplate } from './reminder-template.js';
import { SendReminderBatchJob } from './send-reminder-batch.job.js';

type ReminderJob = Job<CollectRemindersData> | Job<SendReminderBatchData>;

/**
 * Owns the reminders queue in the worker: the SES template, the 09:00 job scheduler (upsert, so every
 * worker instance may register it), and the consumer of both job kinds.
 */
@Injectable()
export class ReminderWorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Reminders');
  private queue: Queue | undefined;
  private worker: Worker | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
    @Inject(SES_CLIENT) private readonly ses: SESv2Client,
    private readonly collect: CollectRemindersJob,
    private readonly sendBatch: SendReminderBatchJob,
    private readonly metrics: MailMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureReminderTemplate(this.ses);
    const prefix = this.config.redis.queuePrefix;
    const queue = new Queue(REMINDERS_QUEUE, { connection: this.connection, prefix });
    this.queue = queue;
    await queue.upsertJobScheduler(
      REMINDER_SCHEDULER_ID,
      { pattern: REMINDER_CRON, tz: 'UTC' },
      { name: COLLECT_REMINDERS_JOB, data: {}, opts: REMINDER_JOB_OPTIONS },
    );
    this.worker = new Worker(REMINDERS_QUEUE, (job: ReminderJob) => this.process(job, queue), {
      connection: this.connection,
      prefix,
      concurrency: 4,
    });
    this.metrics.watchFailures(
      this.worker,
      'reminder',
      this.logger,
      (job) => `reminder job ${job.id ?? '?'}`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  private async process(job: ReminderJob, queue: Queue): Promise<unknown> {
    switch (job.name) {
      case COLLECT_REMINDERS_JOB:
        return this.collect.run(job as Job<CollectRemindersData>, queue);
      case SEND_REMINDER_BATCH_JOB:
        return this.sendBatch.run(job as Job<SendReminderBatchData>);
      default:
        throw new Error(`unknown reminder job ${job.name}`);
    }
  }
}
