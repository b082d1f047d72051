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
}
