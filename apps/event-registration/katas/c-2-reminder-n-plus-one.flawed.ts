import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type pg from 'pg';

/*
 * events:C-2 — the review's reminder batch (Section 6.3, lines 246-264): tomorrow's events, then the
 * registrations of each event, then the user of each registration, and one synchronous SES call per
 * person inside the inner loop. 500 events × 20 registrations = 1 + 500 + 10,000 queries and 10,000 calls.
 */
export interface NaiveReminderResult {
  events: number;
  emails: number;
}

export async function sendRemindersNaively(
  pool: pg.Pool,
  ses: SESv2Client,
  from: string,
  date: string,
): Promise<NaiveReminderResult> {
  const events = await pool.query<{ id: string; title: string; start_datetime: Date; venue: string }>(
    `SELECT * FROM events WHERE start_datetime::date = $1::date AND status = 'published'`,
    [date],
  );
  let emails = 0;
  for (const event of events.rows) {
    const registrations = await pool.query<{ user_id: string }>(
      `SELECT * FROM registrations WHERE event_id = $1 AND status = 'registered'`,
      [event.id],
    );
    for (const registration of registrations.rows) {
      const user = (
        await pool.query<{ email: string; name: string }>('SELECT * FROM users WHERE id = $1', [
          registration.user_id,
        ])
      ).rows[0]!;
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [user.email] },
          Content: {
            Simple: {
              Subject: { Data: `Reminder: ${event.title} is tomorrow` },
              Body: {
                Text: {
                  Data: `Hello ${user.name}, ${event.title} starts ${event.start_datetime.toISOString()}.`,
                },
              },
            },
          },
        }),
      );
      emails += 1;
    }
  }
  return { events: events.rows.length, emails };
}
