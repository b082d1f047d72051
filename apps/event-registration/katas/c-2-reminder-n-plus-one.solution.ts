import { SendBulkEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type pg from 'pg';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { SES_CLIENT } from '../src/notifications/ses-client.factory.js';
import { PRIMARY_POOL } from '../src/registrations/primary-pool.provider.js';
import {
  REMINDER_TEMPLATE,
  type ReminderDestination,
  type SendReminderBatchData,
} from '../src/reminders/reminder-queue.js';

/*
 * events:C-2 — the review's reminder batch (Section 6.3, lines 246-264), cut at the worker's two seams:
 *
 *   const events = await db.query('SELECT * FROM events WHERE start_datetime::date = $1', [tomorrow]);
 *   for (const event of events) {
 *     const registrations = await db.query('SELECT * FROM registrations WHERE event_id = $1 …', [event.id]);
 *     for (const reg of registrations) {
 *       const user = await db.query('SELECT * FROM users WHERE id = $1', [reg.user_id]);
 *       await ses.sendEmail({ … });
 *     }
 *   }
 *
 * NestedLoopReminderCollector stands in for ReminderCollectorService (tomorrow's events, then each event's
 * registrations, then each registration's user: 1 + 500 + 10,000 queries for 500 events × 20), and
 * PerAttendeeReminderSender for SendReminderBatchJob (one synchronous SendEmail per person).
 */
@Injectable()
export class NestedLoopReminderCollector {
  constructor(@Inject(PRIMARY_POOL) private readonly pool: pg.Pool) {}

  // One join for the whole day, paged by keyset on the registration id: a constant number of queries
  // however many events and attendees tomorrow has.
  async *destinations(date: string): AsyncGenerator<ReminderDestination[]> {
    const from = new Date(`${date}T00:00:00.000Z`);
    const to = new Date(from.getTime() + 24 * 3_600_000);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { rows } = await this.pool.query<ReminderDestination>(
        `SELECT r.id AS "registrationId", u.email, u.name, e.title AS "eventTitle",
                to_char(e.start_datetime AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS "startsAt",
                coalesce(e.venue, 'to be announced') AS venue
           FROM registrations r
           JOIN events e ON e.id = r.event_id
           JOIN users u ON u.id = r.user_id
          WHERE r.event_starts_at >= $1 AND r.event_starts_at < $2
            AND e.status = 'published' AND r.status = 'registered' AND r.id > $3
          ORDER BY r.id
          LIMIT 5000`,
        [from, to, after],
      );
      if (rows.length > 0) yield rows;
      if (rows.length < 5000) return;
      after = rows[rows.length - 1]!.registrationId;
    }
  }
}

@Injectable()
export class PerAttendeeReminderSender {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SES_CLIENT) private readonly ses: SESv2Client,
  ) {}

  // One SendBulkEmail per batch (the collect job cuts batches of at most 50, SES's limit), the template
  // filled per destination. The service's job also keeps each destination's send state in Redis, so a retry
  // mails only those SES did not accept.
  async run(job: Job<SendReminderBatchData>): Promise<{ sent: number; skipped: number }> {
    const { destinations } = job.data;
    const response = await this.ses.send(
      new SendBulkEmailCommand({
        FromEmailAddress: this.config.mail.fromAddress,
        DefaultContent: { Template: { TemplateName: REMINDER_TEMPLATE, TemplateData: '{}' } },
        BulkEmailEntries: destinations.map((destination) => ({
          Destination: { ToAddresses: [destination.email] },
          ReplacementEmailContent: {
            ReplacementTemplate: {
              ReplacementTemplateData: JSON.stringify({
                name: destination.name,
                eventTitle: destination.eventTitle,
                startsAt: destination.startsAt,
                venue: destination.venue,
              }),
            },
          },
        })),
      }),
    );
    const accepted = (response.BulkEmailEntryResults ?? []).filter(({ Status }) => Status === 'SUCCESS');
    if (accepted.length < destinations.length)
      throw new Error(`SES accepted ${accepted.length} of ${destinations.length} reminders`);
    return { sent: accepted.length, skipped: 0 };
  }
}
