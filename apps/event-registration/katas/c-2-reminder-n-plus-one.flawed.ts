import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type pg from 'pg';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { SES_CLIENT } from '../src/notifications/ses-client.factory.js';
import { PRIMARY_POOL } from '../src/registrations/primary-pool.provider.js';
import type { ReminderDestination, SendReminderBatchData } from '../src/reminders/reminder-queue.js';

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

  async *destinations(date: string): AsyncGenerator<ReminderDestination[]> {
    const events = await this.pool.query<{
      id: string;
      title: string;
      start_datetime: Date;
      venue: string | null;
    }>(`SELECT * FROM events WHERE start_datetime::date = $1::date AND status = 'published'`, [date]);
    for (const event of events.rows) {
      const registrations = await this.pool.query<{ id: string; user_id: string }>(
        `SELECT * FROM registrations WHERE event_id = $1 AND status = 'registered'`,
        [event.id],
      );
      const destinations: ReminderDestination[] = [];
      for (const registration of registrations.rows) {
        const user = (
          await this.pool.query<{ email: string; name: string }>('SELECT * FROM users WHERE id = $1', [
            registration.user_id,
          ])
        ).rows[0]!;
        destinations.push({
          registrationId: registration.id,
          email: user.email,
          name: user.name,
          eventTitle: event.title,
          startsAt: event.start_datetime.toISOString(),
          venue: event.venue ?? 'to be announced',
        });
      }
      if (destinations.length > 0) yield destinations;
    }
  }
}

@Injectable()
export class PerAttendeeReminderSender {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SES_CLIENT) private readonly ses: SESv2Client,
  ) {}

  async run(job: Job<SendReminderBatchData>): Promise<{ sent: number; skipped: number }> {
    for (const destination of job.data.destinations) {
      await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.config.mail.fromAddress,
          Destination: { ToAddresses: [destination.email] },
          Content: {
            Simple: {
              Subject: { Data: `Reminder: ${destination.eventTitle} is tomorrow` },
              Body: {
                Text: {
                  Data: `Hello ${destination.name}, ${destination.eventTitle} starts ${destination.startsAt}.`,
                },
              },
            },
          },
        }),
      );
    }
    return { sent: job.data.destinations.length, skipped: 0 };
  }
}
