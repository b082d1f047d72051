import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { Queue } from 'bullmq';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent, seedRegistrations, tomorrowAt } from '../findings/support/seed-events.js';
import { seedAttendees, seedOrganiser } from '../findings/support/seed-users.js';
import { SesEmulator } from '../findings/support/ses-emulator.js';
import { waitForRemindersIdle } from '../findings/support/wait-for-reminders.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import {
  COLLECT_REMINDERS_JOB,
  REMINDER_SCHEDULER_ID,
  REMINDERS_QUEUE,
  SEND_REMINDER_BATCH_JOB,
} from '../src/reminders/reminder-queue.js';

const ctx = useTestContext(eventRegistrationHarness);

describe('daily reminders', () => {
  let ses: SesEmulator;
  let worker: TestWorker;
  let queue: Queue;
  const tomorrow = tomorrowAt(0).toISOString().slice(0, 10);

  beforeAll(async () => {
    const organiserId = await seedOrganiser(ctx.pool, 'rem-organiser@example.com');
    const attendees = await seedAttendees(ctx.pool, 180, 'rem');
    for (let i = 0; i < 3; i += 1) {
      const event = await seedEvent(ctx.pool, { organiserId, capacity: 100, startsAt: tomorrowAt(9 + i) });
      await seedRegistrations(ctx.pool, event, attendees.slice(i * 60, i * 60 + 60));
    }
    const later = await seedEvent(ctx.pool, { organiserId, capacity: 100, startsAt: tomorrowAt(48) });
    await seedRegistrations(ctx.pool, later, attendees.slice(0, 10));
    // Seeded before the worker starts: its partition maintenance runs at start-up and takes DDL locks.
    ses = await SesEmulator.start();
    worker = await startTestWorker(ctx, { SES_ENDPOINT: ses.endpoint });
    queue = new Queue(REMINDERS_QUEUE, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
  });

  afterAll(async () => {
    await queue.close();
    await worker.close();
    await ses.stop();
  });

  it('registers the 09:00 scheduler', async () => {
    const scheduler = await queue.getJobScheduler(REMINDER_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: '0 9 * * *', name: COLLECT_REMINDERS_JOB });
  });

  it("sends tomorrow's 180 reminders in 4 bulk calls; a rerun sends nothing", async () => {
    await queue.add(COLLECT_REMINDERS_JOB, { date: tomorrow });
    await waitForRemindersIdle(queue, 20_000);
    expect(ses.count('sendBulkEmail')).toBe(4);
    expect(ses.count('sendEmail')).toBe(0);
    const reminders = (await ses.emails()).filter((email) => email.subject.startsWith('Reminder:'));
    expect(reminders).toHaveLength(180);
    expect(new Set(reminders.map((email) => email.destination.to[0])).size).toBe(180);

    await queue.add(COLLECT_REMINDERS_JOB, { date: tomorrow });
    await waitForRemindersIdle(queue, 20_000);
    expect(ses.count('sendBulkEmail')).toBe(4);
  });

  it('a retried batch sends only to destinations SES has not accepted', async () => {
    // A registration of tomorrow's events, whose reminder the previous test sent.
    const sent = await ctx.pool.query<{ id: string }>(
      'SELECT id FROM registrations WHERE event_starts_at < $1 ORDER BY id LIMIT 1',
      [tomorrowAt(24)],
    );
    const destination = (registrationId: string, email: string) => ({
      registrationId,
      email,
      name: 'N',
      eventTitle: 'T',
      startsAt: 'tomorrow',
      venue: 'V',
    });
    const before = (await ses.emails()).length;
    await queue.add(SEND_REMINDER_BATCH_JOB, {
      date: tomorrow,
      destinations: [
        destination(sent.rows[0]!.id, 'already-sent@example.com'),
        destination('00000000-0000-4000-8000-000000000001', 'new-one@example.com'),
      ],
    });
    await waitForRemindersIdle(queue, 10_000);
    const added = (await ses.emails()).slice(before);
    expect(added.map((email) => email.destination.to[0])).toEqual(['new-one@example.com']);
  });
});
