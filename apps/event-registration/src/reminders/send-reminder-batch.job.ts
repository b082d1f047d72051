import { SendBulkEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { Inject, Injectable } from '@nestjs/common';
import { QUEUE_REDIS } from '@remedy/pooling';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { MailMetrics } from '../notifications/mail-metrics.js';
import { SES_CLIENT } from '../notifications/ses-client.factory.js';
import { REMINDER_TEMPLATE, type SendReminderBatchData } from './reminder-queue.js';

const SENT_STATE_TTL_SECONDS = 3 * 24 * 3_600;

export interface SendReminderBatchResult {
  sent: number;
  skipped: number;
}

/**
 * One SESv2 SendBulkEmail call for ≤ 50 destinations. Per-destination send state lives in a Redis set per
 * day: a retry (SES partially failed, the worker died after the call) sends only to the destinations SES
 * has not accepted yet, and a batch whose every destination is marked sends nothing. The set lives on the
 * queue Redis (noeviction): evicted from the cache Redis, it would let a retry mail everyone again.
 */
@Injectable()
export class SendReminderBatchJob {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SES_CLIENT) private readonly ses: SESv2Client,
    @Inject(QUEUE_REDIS) private readonly queueRedis: Redis,
    private readonly metrics: MailMetrics,
  ) {}

  async run(job: Job<SendReminderBatchData>): Promise<SendReminderBatchResult> {
    const { date, destinations } = job.data;
    const sentKey = `reminders:sent:${date}`;
    const flags = await this.queueRedis.smismember(sentKey, ...destinations.map((d) => d.registrationId));
    const pending = destinations.filter((_, index) => flags[index] === 0);
    if (pending.length === 0) return { sent: 0, skipped: destinations.length };
    const response = await this.ses.send(
      new SendBulkEmailCommand({
        FromEmailAddress: this.config.mail.fromAddress,
        DefaultContent: { Template: { TemplateName: REMINDER_TEMPLATE, TemplateData: '{}' } },
        BulkEmailEntries: pending.map((d) => ({
          Destination: { ToAddresses: [d.email] },
          ReplacementEmailContent: {
            ReplacementTemplate: {
              ReplacementTemplateData: JSON.stringify({
                name: d.name,
                eventTitle: d.eventTitle,
                startsAt: d.startsAt,
                venue: d.venue,
              }),
            },
          },
        })),
      }),
    );
    const results = response.BulkEmailEntryResults ?? [];
    const accepted = pending.filter((_, index) => results[index]?.Status === 'SUCCESS');
    if (accepted.length > 0) {
      await this.queueRedis
        .multi()
        .sadd(sentKey, ...accepted.map((d) => d.registrationId))
        .expire(sentKey, SENT_STATE_TTL_SECONDS)
        .exec();
      this.metrics.sent.inc({ kind: 'reminder' }, accepted.length);
    }
    if (accepted.length < pending.length) {
      throw new Error(`SES accepted ${accepted.length} of ${pending.length} reminders; the rest are retried`);
    }
    return { sent: accepted.length, skipped: destinations.length - pending.length };
  }
}
