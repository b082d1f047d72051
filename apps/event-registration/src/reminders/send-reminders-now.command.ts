import { queueEventsFromNow } from '@remedy/outbox';
import { queueConnectionOptions } from '@remedy/pooling';
import { Queue, type ConnectionOptions } from 'bullmq';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import type { CollectRemindersResult } from './collect-reminders.job.js';
import { dayAfter } from './reminder-collector.service.js';
import {
  COLLECT_REMINDERS_JOB,
  REMINDER_JOB_OPTIONS,
  REMINDERS_QUEUE,
  type CollectRemindersData,
} from './reminder-queue.js';

/*
 * `npm run send-reminders [-- --date YYYY-MM-DD]`: today's reminder run, now. It adds the job the 09:00
 * scheduler adds (collect-reminders on the reminders queue, same options) for the day that run covers
 * (tomorrow, UTC, unless --date says otherwise), so a running worker (`npm run worker`) collects and sends it
 * the same way. Running it again, or after 09:00, mails nobody twice: the send jobs skip every destination
 * already accepted for that day (a per-day set on the queue Redis) and their ids dedupe the batches.
 * It waits for the collect step and reports what was enqueued; --wait-seconds 0 only enqueues.
 */
const USAGE = 'usage: npm run send-reminders [-- --date YYYY-MM-DD] [--wait-seconds N]\n';

const { values } = parseArgs({
  options: {
    date: { type: 'string' },
    'wait-seconds': { type: 'string', default: '60' },
  },
});
const date = values.date ?? dayAfter(Date.now());
const waitSeconds = Number(values['wait-seconds']);
if (!isCalendarDate(date) || !Number.isInteger(waitSeconds) || waitSeconds < 0) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const config = loadConfig();
// The cast bridges two ioredis typings (pooling's and BullMQ's) of the same BullMQ-safe options.
const connection = queueConnectionOptions(config.redis.queueUrl, config.serviceName) as ConnectionOptions;
const prefix = config.redis.queuePrefix;
const queue = new Queue(REMINDERS_QUEUE, { connection, prefix });
// Listening from before the add: a worker may finish the run before a fresh listener's first read.
const events = await queueEventsFromNow(queue);
try {
  const data: CollectRemindersData = { date };
  const job = await queue.add(COLLECT_REMINDERS_JOB, data, REMINDER_JOB_OPTIONS);
  process.stdout.write(`reminders for events on ${date}: run ${job.id ?? '?'} enqueued\n`);
  if (waitSeconds > 0) {
    try {
      const result = (await job.waitUntilFinished(events, waitSeconds * 1_000)) as CollectRemindersResult;
      process.stdout.write(
        `collected ${result.destinations} reminders into ${result.batches} bulk send${result.batches === 1 ? '' : 's'}; ` +
          `the worker mails them ` +
          `(anyone already mailed for ${date} is skipped)\n`,
      );
    } catch (error) {
      process.stderr.write(
        (await job.getState()) === 'failed'
          ? `the run failed: ${(error as Error).message}\n`
          : `the run did not finish within ${waitSeconds} s: is a worker running (npm run worker)? ` +
              `The job stays queued and runs when one starts.\n`,
      );
      process.exitCode = 1;
    }
  }
} finally {
  await events.close();
  await queue.close();
}

function isCalendarDate(value: string): boolean {
  const day = new Date(`${value}T00:00:00Z`);
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value)
  );
}
