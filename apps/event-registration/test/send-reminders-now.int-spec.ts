import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { Queue } from 'bullmq';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent, seedRegistrations, tomorrowAt } from '../findings/support/seed-events.js';
import { seedAttendees, seedOrganiser } from '../findings/support/seed-users.js';
import { SesEmulator } from '../findings/support/ses-emulator.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { testEnvironment } from '../findings/support/test-config.js';
import { waitForRemindersIdle } from '../findings/support/wait-for-reminders.js';
import { REMINDERS_QUEUE } from '../src/reminders/reminder-queue.js';

const ctx = useTestContext(eventRegistrationHarness);
const appDirectory = fileURLToPath(new URL('..', import.meta.url));

/** `npm run send-reminders -- …args` as an operator runs it, against this test's database and Redis prefix. */
async function sendReminders(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['run', '--silent', 'send-reminders', '--', ...args], {
    cwd: appDirectory,
    env: { ...process.env, ...testEnvironment(ctx) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('npm run send-reminders', () => {
  let ses: SesEmulator;
  let worker: TestWorker;
  let queue: Queue;

  beforeAll(async () => {
    const organiserId = await seedOrganiser(ctx.pool, 'now-organiser@example.com');
    const attendees = await seedAttendees(ctx.pool, 70, 'now');
    const tomorrow = await seedEvent(ctx.pool, { organiserId, capacity: 100, startsAt: tomorrowAt(10) });
    await seedRegistrations(ctx.pool, tomorrow, attendees.slice(0, 60));
    const later = await seedEvent(ctx.pool, { organiserId, capacity: 100, startsAt: tomorrowAt(48) });
    await seedRegistrations(ctx.pool, later, attendees.slice(60));
    ses = await SesEmulator.start();
    worker = await startTestWorker(ctx, { SES_ENDPOINT: ses.endpoint });
    queue = new Queue(REMINDERS_QUEUE, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
  });

  afterAll(async () => {
    await queue.close();
    await worker.close();
    await ses.stop();
  });

  const reminders = async () => (await ses.emails()).filter((email) => email.subject.startsWith('Reminder:'));

  it("sends today's run (tomorrow's events) now through the worker; running it twice mails nobody twice", async () => {
    const first = await sendReminders();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('collected 60 reminders into 2 bulk sends');
    await waitForRemindersIdle(queue, 30_000);
    expect(await reminders()).toHaveLength(60);

    const second = await sendReminders();
    expect(second).toMatchObject({ code: 0, stderr: '' });
    await waitForRemindersIdle(queue, 30_000);
    const sent = await reminders();
    expect(sent).toHaveLength(60);
    expect(new Set(sent.map((email) => email.destination.to[0])).size).toBe(60);
    expect(ses.count('sendBulkEmail')).toBe(2);
  }, 90_000);

  it('takes another day with --date, and refuses a date that is not one', async () => {
    const later = await sendReminders('--date', tomorrowAt(48).toISOString().slice(0, 10));
    expect(later).toMatchObject({ code: 0, stderr: '' });
    expect(later.stdout).toContain('collected 10 reminders into 1 bulk send;');
    await waitForRemindersIdle(queue, 30_000);
    expect(await reminders()).toHaveLength(70);

    const refused = await sendReminders('--date', '2026-02-30');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('usage: npm run send-reminders');
  }, 90_000);
});
