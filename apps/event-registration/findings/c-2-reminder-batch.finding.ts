import { queryEvents } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { Queue } from 'bullmq';
import {
  NestedLoopReminderCollector,
  PerAttendeeReminderSender,
} from '../katas/c-2-reminder-n-plus-one.flawed.js';
import { ReminderCollectorService } from '../src/reminders/reminder-collector.service.js';
import {
  COLLECT_REMINDERS_JOB,
  REMINDER_BATCH_SIZE,
  REMINDERS_QUEUE,
} from '../src/reminders/reminder-queue.js';
import { SendReminderBatchJob } from '../src/reminders/send-reminder-batch.job.js';
import { seedReminderDay, type ReminderDay } from './support/seed-reminder-day.js';
import { SesEmulator, type SesCall } from './support/ses-emulator.js';
import { startTestWorker } from './support/start-test-worker.js';
import { waitForRemindersIdle } from './support/wait-for-reminders.js';

/*
 * 5,200 reminders: past the collector's 5,000-row keyset page, so the remediated reader crosses a page, while
 * the flawed run still makes ≈ 10,500 round trips; the flawed run's time grows with this, one SES call each.
 */
const EVENTS = 260;
const PER_EVENT = 20;
const PUT_BACK_EVENTS = 25;
/** SESv2 SendBulkEmail's documented maximum of BulkEmailEntries per call. */
const SES_MAX_BULK_ENTRIES = 50;

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

type Run = 'flawed' | 'remediated' | 'batches of 500' | 'one call per attendee';

/** The review's design (or a flaw put back) at the worker's seams; nothing for the remediated run. */
function plugsFor(run: Run): ProviderPlug[] {
  switch (run) {
    case 'flawed':
      return [
        { provide: ReminderCollectorService, useClass: NestedLoopReminderCollector },
        { provide: SendReminderBatchJob, useClass: PerAttendeeReminderSender },
      ];
    case 'batches of 500':
      return [{ provide: REMINDER_BATCH_SIZE, useValue: 500 }];
    case 'one call per attendee':
      return [{ provide: SendReminderBatchJob, useClass: PerAttendeeReminderSender }];
    case 'remediated':
      return [];
  }
}

/** Runs one reminder day through the real worker; counts its pool's statements and SES's calls. */
async function runReminderDay(
  run: Run,
  ctx: FindingContext,
  ses: SesEmulator,
  day: ReminderDay,
): Promise<{ queries: number; calls: readonly SesCall[]; emails: number }> {
  const worker = await startTestWorker(ctx, { SES_ENDPOINT: ses.endpoint }, plugsFor(run));
  const queue = new Queue(REMINDERS_QUEUE, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
  try {
    ses.resetCounts();
    const poolName = `${worker.config.database.applicationName}-worker`;
    const queries = await countQueries(poolName, async () => {
      await queue.add(COLLECT_REMINDERS_JOB, { date: day.date });
      await waitForRemindersIdle(queue, 180_000);
    });
    const emails = (await ses.emails()).filter((e) => e.subject.startsWith('Reminder:')).length;
    return { queries, calls: [...ses.sendCalls()], emails };
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
    'calls SES once per person inside the loop: 10,501 queries and 10,000 sequential API calls for 500 events × 20 ' +
    `(measured here on ${EVENTS} events × ${PER_EVENT}, past one 5,000-row page of the remedy's reader). ` +
    'The service reads all destinations with one join (keyset pages of 5,000 rows), enqueues BullMQ jobs of ≤ 50 ' +
    'destinations, and each job makes one SESv2 SendBulkEmail call with a template; a per-destination sent set in ' +
    'Redis keeps retries from mailing anyone twice. Both runs go through the real worker (collect job, queue, ' +
    "batch job); the count is the worker pool's statements, plus SES calls beyond ⌈reminders/50⌉ and calls over " +
    "SES's 50 entries, each call's destinations counted from the request body at a proxy in front of the emulator.",
  fix: [
    'src/reminders/reminder-collector.service.ts',
    'src/reminders/reminders.module.ts',
    'src/reminders/collect-reminders.job.ts',
    'src/reminders/send-reminder-batch.job.ts',
    'src/reminders/reminder-worker.service.ts',
  ],
  difficulty: 3,
  hints: [
    'Count the queries and SES calls per reminder: each one is a round trip inside a loop.',
    "Fetch every destination of tomorrow's events in one joined query (paged by keyset, not OFFSET) instead of per event and per user.",
    'SES takes up to 50 destinations per SendBulkEmail with a template: group the destinations into batches of at most 50 and make one call per batch.',
    'The techniques: N+1 → one JOIN, and request batching (chunks of 50 into SESv2 SendBulkEmail), each batch its own job.',
  ],
  seam: 'worker providers ReminderCollectorService ← katas/c-2 NestedLoopReminderCollector and SendReminderBatchJob ← PerAttendeeReminderSender; the REMINDER_BATCH_SIZE provider',
  flawsPutBack: {
    'batches of 500': 'REMINDER_BATCH_SIZE = 500: ten times the entries SES takes in one SendBulkEmail',
    'one call per attendee':
      "the real one-join collector, but each batch job sends one SendEmail per destination (the review's sender)",
  },
  metric: {
    name: `SQL queries + SES calls beyond ⌈n/50⌉ + SES calls over 50 destinations, ${EVENTS} events × ${PER_EVENT} registrations`,
    unit: 'round trips',
    better: 'lower',
  },
  async measure(run, ctx): Promise<Measurement> {
    // Seeded before the worker starts: its partition maintenance runs at start-up and takes DDL locks.
    // One SendEmail per person is slow through the emulator: that put-back mails a smaller day (the bound
    // it breaks, ⌈n/50⌉ calls, does not depend on n).
    const events = run === 'one call per attendee' ? PUT_BACK_EVENTS : EVENTS;
    const day = await seedReminderDay(ctx.pool, events, PER_EVENT, 'c2');
    const ses = await SesEmulator.start();
    try {
      await ses.clear();
      const started = performance.now();
      const { queries, calls, emails } = await runReminderDay(run, ctx, ses, day);
      const seconds = (performance.now() - started) / 1000;
      if (emails !== day.registrations) {
        throw new Error(`${run}: ${emails} reminders delivered, expected ${day.registrations}`);
      }
      // SES's own limits: SendBulkEmail takes at most 50 entries; fewer calls than ⌈n/50⌉ cannot mail n.
      const fewestCalls = Math.ceil(day.registrations / SES_MAX_BULK_ENTRIES);
      const extraCalls = Math.max(0, calls.length - fewestCalls);
      const oversized = calls.filter((call) => call.destinations > SES_MAX_BULK_ENTRIES).length;
      return {
        value: queries + extraCalls + oversized,
        details: {
          'SQL queries': queries,
          'SES calls': calls.length,
          'SendBulkEmail calls': calls.filter((call) => call.kind === 'sendBulkEmail').length,
          'largest call (destinations)': Math.max(0, ...calls.map((call) => call.destinations)),
          'calls over 50 destinations': oversized,
          reminders: day.registrations,
          'reminders delivered': emails,
          'wall time (s)': Number(seconds.toFixed(1)),
        },
      };
    } finally {
      await ses.stop();
    }
  },
  flawed: (roundTrips) => roundTrips > 5,
  remediated: (roundTrips) => roundTrips <= 5,
  timeoutMs: 300_000,
});
