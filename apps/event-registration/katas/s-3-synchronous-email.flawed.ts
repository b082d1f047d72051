import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type pg from 'pg';

/*
 * events:S-3 — the review's registration handler (Section 6.1, line 202) awaits the confirmation e-mail
 * inside the request:
 *
 *   const registration = await registrationRepository.create({...});
 *   await notificationService.sendRegistrationConfirmation(userId, eventId);
 *
 * The caller waits for SES every time, and when SES fails the registration fails with it (here the
 * transaction rolls back; without one it would stay half-done).
 */
export async function registerAndEmailSynchronously(
  pool: pg.Pool,
  ses: SESv2Client,
  from: string,
  eventId: string,
  userId: string,
): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; email: string; title: string }>(
      `WITH created AS (
         INSERT INTO registrations (event_id, user_id, event_starts_at, status)
         SELECT id, $2, start_datetime, 'registered' FROM events WHERE id = $1
         RETURNING id
       )
       SELECT created.id, u.email, e.title FROM created, users u, events e WHERE u.id = $2 AND e.id = $1`,
      [eventId, userId],
    );
    const registration = rows[0]!;
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [registration.email] },
        Content: {
          Simple: {
            Subject: { Data: `You are registered for ${registration.title}` },
            Body: { Text: { Data: 'See you there.' } },
          },
        },
      }),
    );
    await client.query('COMMIT');
    return registration.id;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
