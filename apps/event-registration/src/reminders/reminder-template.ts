import {
  CreateEmailTemplateCommand,
  GetEmailTemplateCommand,
  NotFoundException,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import { REMINDER_TEMPLATE } from './reminder-queue.js';

/** Creates the SES template the bulk reminders use, if it does not exist yet (idempotent at every start). */
export async function ensureReminderTemplate(ses: SESv2Client): Promise<void> {
  try {
    await ses.send(new GetEmailTemplateCommand({ TemplateName: REMINDER_TEMPLATE }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await ses.send(
      new CreateEmailTemplateCommand({
        TemplateName: REMINDER_TEMPLATE,
        TemplateContent: {
          Subject: 'Reminder: {{eventTitle}} is tomorrow',
          Text: 'Hello {{name}},\n\n{{eventTitle}} starts {{startsAt}} at {{venue}}.\nBring your check-in QR code.',
        },
      }),
    );
  }
}

/* The emulator names the error in a body field the SDK does not read, so the HTTP status decides too. */
function isNotFound(error: unknown): boolean {
  return (
    error instanceof NotFoundException ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
  );
}
