import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { RegisterService } from '../src/registrations/register.service.js';
import type { RegistrationChanges } from '../src/registrations/registration-changes.js';
import type { RegistrationRow } from '../src/registrations/registration-row.js';

/*
 * events:S-3 — the review's registration handler (Section 6.1, line 202) awaits the confirmation e-mail
 * inside the request:
 *
 *   const registration = await registrationRepository.create({...});
 *   await notificationService.sendRegistrationConfirmation(userId, eventId);
 *
 * Plugged in as the API's RegisterService: the real registration, then the review's send. The caller waits
 * for SES every time, and when SES fails the request fails with it (the row is already written: half done).
 */
export class SynchronousMailRegisterService extends RegisterService {
  constructor(
    private readonly db: pg.Pool,
    changes: RegistrationChanges,
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {
    super(db, changes);
  }

  override async register(eventId: string, userId: string, correlationId?: string): Promise<RegistrationRow> {
    const registration = await super.register(eventId, userId, correlationId);
    await this.mailConfirmation(eventId, userId);
    return registration;
  }

  /** The request's mail step: awaited here, so the caller waits for SES and fails with it. */
  protected mailConfirmation(eventId: string, userId: string): Promise<void> {
    return sendRegistrationConfirmation(this.db, this.ses, this.from, userId, eventId);
  }
}

/**
 * A close cousin, used as a flaw put back: the send still lives in the request but is not awaited
 * ("fire and forget"), so the caller no longer waits for SES, and a failed send is logged and lost.
 */
export class FireAndForgetMailRegisterService extends SynchronousMailRegisterService {
  private readonly logger = new Logger('FireAndForgetMail');
  private readonly sending = new Set<Promise<void>>();

  protected override mailConfirmation(eventId: string, userId: string): Promise<void> {
    const sending = super
      .mailConfirmation(eventId, userId)
      .catch((error: unknown) => this.logger.warn(`confirmation e-mail failed: ${String(error)}`))
      .finally(() => this.sending.delete(sending));
    this.sending.add(sending);
    return Promise.resolve();
  }

  /** Resolves once every send started so far has succeeded or been given up (for the proof's outage). */
  async sendsSettled(): Promise<void> {
    await Promise.all(this.sending);
  }
}

/** The review's NotificationService.sendRegistrationConfirmation: load the address and title, one SES call. */
async function sendRegistrationConfirmation(
  pool: pg.Pool,
  ses: SESv2Client,
  from: string,
  userId: string,
  eventId: string,
): Promise<void> {
  const { rows } = await pool.query<{ email: string; title: string }>(
    `SELECT u.email, e.title FROM users u, events e WHERE u.id = $1 AND e.id = $2`,
    [userId, eventId],
  );
  const { email, title } = rows[0]!;
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [email] },
      Content: {
        Simple: {
          Subject: { Data: `You are registered for ${title}` },
          Body: { Text: { Data: 'See you there.' } },
        },
      },
    }),
  );
}
