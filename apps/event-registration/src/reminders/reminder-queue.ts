/** The reminder queue: a daily collect job (scheduled) fans out into bulk-send jobs of ≤ 50 destinations. */
export const REMINDERS_QUEUE = 'reminders';
export const COLLECT_REMINDERS_JOB = 'collect-reminders';
export const SEND_REMINDER_BATCH_JOB = 'send-reminder-batch';
export const REMINDER_SCHEDULER_ID = 'daily-reminders';

/** 09:00 UTC every day; events "tomorrow" are those starting on the next UTC calendar day. */
export const REMINDER_CRON = '0 9 * * *';

/** SES SendBulkEmail takes at most 50 entries per call. */
export const MAX_BULK_DESTINATIONS = 50;

/** Destinations per send-reminder-batch job (one SendBulkEmail call each); MAX_BULK_DESTINATIONS in the module. */
export const REMINDER_BATCH_SIZE = Symbol('REMINDER_BATCH_SIZE');

export const REMINDER_TEMPLATE = 'EventReminder';

export interface CollectRemindersData {
  /** The day whose events get reminders (YYYY-MM-DD, UTC); default: the day after the job runs. */
  date?: string;
}

export interface ReminderDestination {
  registrationId: string;
  email: string;
  name: string;
  eventTitle: string;
  startsAt: string;
  venue: string;
}

export interface SendReminderBatchData {
  date: string;
  destinations: ReminderDestination[];
}

export const REMINDER_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 2 * 24 * 3_600, count: 5_000 },
  removeOnFail: { age: 14 * 24 * 3_600, count: 10_000 },
} as const;
