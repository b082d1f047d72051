import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createPgPool, queryEvents } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { Queue } from 'bullmq';
import { sendRemindersNaively } from '../katas/c-2-reminder-n-plus-one.flawed.js';
import {
  COLLECT_REMINDERS_JOB,
  MAX_BULK_DESTINATIONS,
  REMINDERS_QUEUE,
} from '../src/reminders/reminder-queue.js';
import { seedReminderDay, type ReminderDay } from './support/seed-reminder-day.js';
import { SesEmulator } from './support/ses-emulator.js';
import { startTestWorker } from './support/start-test-worker.js';
import { waitForRemindersIdle } from './support/wait-for-reminders.js';

const EVENTS = 500;
const PER_EVENT = 20;

/** Counts statements that finished on one named pool while `work` runs (BEGIN/COMMIT excluded). */
async function countQueries(poolName: string, work: () => Promise<void>): Promise<number> {
  let count = 0;
  const unsubscribe = queryEvents.subscribe((event) => {
    if (event.pool === poolName && !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(event.sql)) count += 1;
  });
  try {
    await work();
  } finally {
    unsubscribe();
  }
  return count;
}

async function flawed(
  ctx: FindingContext,
  ses: SesEmulator,
  day: ReminderDay,
): Promise<Record<string, number>> {
  const pool = createPgPool({
    name: 'kata-c-2',
    connectionString: ctx.databaseUrl,
    max: 2,
    connectionTimeoutMillis: 5_000,
    statementTimeoutMs: 10_000,
    idleInTransactionSessionTimeoutMs: 10_000,
  });
  const client = new SESv2Client({
    region: 'ap-northeast-1',
    endpoint: ses.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    let emails = 0;
    const queries = await countQueries('kata-c-2', async () => {
      emails = (await sendRemindersNaively(pool, client, 'events@example.com', day.date)).emails;
    });
    return { queries, emails };
  } finally {
    client.destroy();
    await pool.end();
  }
}

async function remediated(
  ctx: FindingContext,
  ses: SesEmulator,
  day: ReminderDay,
): Promise<Record<string, number>> {
  const worker = await startTestWorker(ctx, { SES_ENDPOINT: ses.endpoint });
  const queue = new Queue(REMINDERS_QUEUE, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
  try {
    ses.resetCounts();
    const poolName = `${worker.config.database.applicationName}-worker`;
    const queries = await countQueries(poolName, async () => {
      await queue.add(COLLECT_REMINDERS_JOB, { date: day.date });
      await waitForRemindersIdle(queue, 90_000);
    });
    return { queries, emails: (await ses.emails()).filter((e) => e.subject.startsWith('Reminder:')).length };
  } finally {
    await queue.close();
    await worker.close();
  }
}

export default defineFinding({
  id: 'events:C-2',
  title: 'Reminder batch: nested-loop N+1 queries and one synchronous SES call per attendee',
  explanation:
    "The 09:00 batch loads tomorrow's events, then each event's registrations, then each registration's user, and " +
    'calls SES once per person inside the loop: 10,501 queries and 10,000 sequential API calls for 500 events × 20. ' +
    'The service reads all destinations with one join (keyset pages of 5,000 rows), enqueues BullMQ jobs of ≤ 50 ' +
    'destinations, and each job makes one SESv2 SendBulkEmail call with a template; a per-destination sent set in ' +
    'Redis keeps retries from mailing anyone twice.',
  fix: [
    'src/reminders/reminder-collector.service.ts',
    'src/reminders/collect-reminders.job.ts',
    'src/reminders/send-reminder-batch.job.ts',
    'src/reminders/reminder-worker.service.ts',
  ],
  metric: {
    name: `database queries for ${EVENTS} events × ${PER_EVENT} registrations`,
    unit: 'queries',
    better: 'lower',
  },
  async measure(variant, ctx): Promise<Measurement> {
    // Seeded before the worker starts: its partition maintenance runs at start-up and takes DDL locks.
    const day = await seedReminderDay(ctx.pool, EVENTS, PER_EVENT, `c2-${variant}`);
    const ses = await SesEmulator.start();
    try {
      await ses.clear();
      const started = performance.now();
      const result = variant === 'flawed' ? await flawed(ctx, ses, day) : await remediated(ctx, ses, day);
      const seconds = (performance.now() - started) / 1000;
      const sesCalls = ses.count('sendEmail') + ses.count('sendBulkEmail');
      if (result['emails'] !== day.registrations) {
        throw new Error(`${variant}: ${result['emails']} reminders delivered, expected ${day.registrations}`);
      }
      if (
        variant === 'remediated' &&
        ses.count('sendBulkEmail') !== Math.ceil(day.registrations / MAX_BULK_DESTINATIONS)
      ) {
        throw new Error(
          `remediated: ${ses.count('sendBulkEmail')} bulk calls, expected ⌈${day.registrations}/50⌉`,
        );
      }
      return {
        value: result['queries']!,
        details: {
          'SES calls': sesCalls,
          'SendBulkEmail calls': ses.count('sendBulkEmail'),
          'reminders delivered': result['emails'],
          'wall time (s)': Number(seconds.toFixed(1)),
        },
      };
    } finally {
      await ses.stop();
    }
  },
  flawed: (queries) => queries > 5,
  remediated: (queries) => queries <= 5,
  timeoutMs: 240_000,
});
