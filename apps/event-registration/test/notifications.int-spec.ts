import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { METRICS_REGISTRY } from '@remedy/observability';
import { useTestContext, waitUntil } from '@remedy/testing';
import { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { ApiClient } from '../findings/support/api-client.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedOrganiser } from '../findings/support/seed-users.js';
import { SesEmulator } from '../findings/support/ses-emulator.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { NOTIFICATIONS_QUEUE } from '../src/notifications/notification-queue.js';

const ctx = useTestContext(eventRegistrationHarness);

describe('confirmation e-mail through outbox → BullMQ → SES', () => {
  let ses: SesEmulator;
  let testApp: TestApp;
  let worker: TestWorker;
  let api: ApiClient;
  let eventId: string;

  beforeAll(async () => {
    ses = await SesEmulator.start();
    testApp = await startTestApp(ctx);
    worker = await startTestWorker(ctx, { SES_ENDPOINT: ses.endpoint, SES_REQUEST_TIMEOUT_MS: '2000' });
    api = new ApiClient(testApp.url);
    const organiserId = await seedOrganiser(ctx.pool, 'mail-organiser@example.com');
    eventId = (await seedEvent(ctx.pool, { organiserId, capacity: 1, title: 'Kaizen 101' })).id;
  });

  afterAll(async () => {
    await worker.close();
    await testApp.close();
    await ses.stop();
  });

  it('a registration is confirmed by one e-mail; a waitlisted one gets the waitlist e-mail', async () => {
    const first = await api.signup('mail-1@example.com');
    const second = await api.signup('mail-2@example.com');
    await api.call('POST', `/events/${eventId}/registrations`, undefined, first.accessToken);
    await api.call('POST', `/events/${eventId}/registrations`, undefined, second.accessToken);
    await waitUntil('both e-mails', async () => (await ses.emails()).length >= 2, 15_000);
    const [confirmed] = await ses.emailsTo('mail-1@example.com');
    expect(confirmed?.subject).toBe('You are registered for Kaizen 101.');
    const [waitlisted] = await ses.emailsTo('mail-2@example.com');
    expect(waitlisted?.subject).toContain('is full');
  });

  it('a redelivered message sends no second e-mail', async () => {
    const { rows } = await ctx.pool.query<{ id: string; topic: string; payload: unknown }>(
      `SELECT id::text, topic, payload FROM outbox WHERE topic = 'registration.confirmed' ORDER BY id LIMIT 1`,
    );
    const message = rows[0]!;
    const queue = new Queue(NOTIFICATIONS_QUEUE, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
    try {
      const before = ses.count('sendEmail');
      const job = await queue.add(message.topic, {
        outboxId: message.id,
        topic: message.topic,
        payload: message.payload,
        headers: {},
      });
      await waitUntil('the redelivery to finish', async () => (await job.getState()) === 'completed', 10_000);
      expect(ses.count('sendEmail')).toBe(before);
      expect(await ses.emailsTo('mail-1@example.com')).toHaveLength(1);
    } finally {
      await queue.close();
    }
  });

  it('with the provider down the registration still succeeds and the e-mail arrives once it is back', async () => {
    const organiserId = await seedOrganiser(ctx.pool, 'mail-organiser-2@example.com');
    const roomy = await seedEvent(ctx.pool, { organiserId, capacity: 10 });
    const attendee = await api.signup('mail-3@example.com');
    ses.failing = true;
    const registered = await api.call(
      'POST',
      `/events/${roomy.id}/registrations`,
      undefined,
      attendee.accessToken,
    );
    expect(registered.status).toBe(201);
    const failedBefore = ses.count('sendEmail');
    await waitUntil('a failed send attempt', () => ses.count('sendEmail') > failedBefore, 10_000);
    ses.failing = false;
    await waitUntil(
      'the e-mail after the retry',
      async () => (await ses.emailsTo('mail-3@example.com')).length === 1,
      15_000,
    );
  });
});

describe('a mail the provider never accepts', () => {
  let ses: SesEmulator;
  let testApp: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    ses = await SesEmulator.start();
    testApp = await startTestApp(ctx);
    worker = await startTestWorker(ctx, { SES_ENDPOINT: ses.endpoint, SES_REQUEST_TIMEOUT_MS: '1000' });
  });

  afterAll(async () => {
    await worker.close();
    await testApp.close();
    await ses.stop();
  });

  it('is dead-lettered after 5 attempts with backoff: kept in the failed set and counted', async () => {
    ses.failing = true;
    const organiserId = await seedOrganiser(ctx.pool, 'dead-letter-organiser@example.com');
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 5 });
    const attendee = await new ApiClient(testApp.url).signup('dead-letter@example.com');
    await new ApiClient(testApp.url).call(
      'POST',
      `/events/${event.id}/registrations`,
      undefined,
      attendee.accessToken,
    );
    const queue = new Queue(NOTIFICATIONS_QUEUE, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
    try {
      await waitUntil(
        'the job to use its 5 attempts',
        async () => (await queue.getFailedCount()) === 1,
        40_000,
      );
      const [failed] = await queue.getFailed();
      expect(failed?.attemptsMade).toBe(5);
      const registry = worker.app.get<Registry>(METRICS_REGISTRY);
      const metric = await registry.getSingleMetric('event_registration_mail_dead_letters_total')?.get();
      expect(metric?.values).toEqual([
        expect.objectContaining({ labels: { kind: 'confirmation' }, value: 1 }),
      ]);
    } finally {
      await queue.close();
    }
  }, 60_000);
});
