import type { Logger } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { Counter, type Registry } from 'prom-client';

/** Mail outcomes for the dashboard: sent, failed attempts, and dead letters (attempts exhausted). */
export class MailMetrics {
  readonly sent: Counter<'kind'>;
  readonly failedAttempts: Counter<'kind'>;
  readonly deadLetters: Counter<'kind'>;

  constructor(registry: Registry) {
    this.sent = new Counter({
      name: 'event_registration_mail_sent_total',
      help: 'E-mails accepted by SES (bulk entries count one each)',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.failedAttempts = new Counter({
      name: 'event_registration_mail_failed_attempts_total',
      help: 'Mail jobs that failed one attempt (BullMQ retries them with backoff)',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'event_registration_mail_dead_letters_total',
      help: 'Mail jobs that used every attempt; kept in the failed set for inspection and retry',
      labelNames: ['kind'],
      registers: [registry],
    });
  }

  /** Counts every failed attempt of `worker`'s jobs and, once a job has used all its attempts, a dead letter. */
  watchFailures<T>(worker: Worker<T>, kind: string, logger: Logger, describe: (job: Job<T>) => string): void {
    worker.on('failed', (job, error) => {
      if (!job) return;
      this.failedAttempts.inc({ kind });
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.deadLetters.inc({ kind });
        logger.error(`${describe(job)} dead-lettered: ${error.message}`);
      }
    });
  }
}
