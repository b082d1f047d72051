import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { RestartableRedisServer, useTestContext, waitUntil } from '@remedy/testing';
import { ApiClient } from '../findings/support/api-client.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedOrganiser } from '../findings/support/seed-users.js';
import { SesEmulator } from '../findings/support/ses-emulator.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';

const ctx = useTestContext(eventRegistrationHarness);
const PER_WAVE = 30;

let queueRedis: RestartableRedisServer;
let ses: SesEmulator;
let testApp: TestApp;
let worker: TestWorker;
let api: ApiClient;
let eventId: string;

beforeAll(async () => {
  queueRedis = await RestartableRedisServer.start();
  ses = await SesEmulator.start();
  testApp = await startTestApp(ctx);
  worker = await startTestWorker(ctx, {
    SES_ENDPOINT: ses.endpoint,
    SES_REQUEST_TIMEOUT_MS: '2000',
    QUEUE_REDIS_URL: queueRedis.url,
    OUTBOX_REDELIVERY_AFTER_MS: '1000',
  });
  api = new ApiClient(testApp.url);
  const organiserId = await seedOrganiser(ctx.pool, 'storm-organiser@example.com');
  eventId = (await seedEvent(ctx.pool, { organiserId, capacity: 10_000 })).id;
}, 60_000);

afterAll(async () => {
  await worker.close();
  await testApp.close();
  await ses.stop();
  await queueRedis.stop();
});

async function register(wave: string): Promise<string[]> {
  const addresses = Array.from({ length: PER_WAVE }, (_, i) => `storm-${wave}-${i}@example.com`);
  await Promise.all(
    addresses.map(async (address) => {
      const { accessToken } = await api.signup(address);
      const response = await api.call('POST', `/events/${eventId}/registrations`, undefined, accessToken);
      expect(response.status).toBe(201);
    }),
  );
  return addresses;
}

async function publishedCount(): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NOT NULL',
  );
  return rows[0]?.n ?? 0;
}

it('restarting the queue Redis without persistence mid-storm loses no confirmation e-mail', async () => {
  // The first wave is accepted by BullMQ while the provider is down, so its jobs sit in Redis retrying:
  // the state a restart without AOF wipes out.
  ses.failing = true;
  const first = await register('a');
  await waitUntil('the first wave handed to BullMQ', async () => (await publishedCount()) >= PER_WAVE, 20_000);
  await queueRedis.restart();
  ses.failing = false;
  const second = await register('b');

  const everyone = [...first, ...second];
  const missing = async (): Promise<string[]> => {
    const delivered = new Set((await ses.emails()).flatMap((mail) => mail.destination.to));
    return everyone.filter((address) => !delivered.has(address));
  };
  await waitUntil('every confirmation e-mail', async () => (await missing()).length === 0, 60_000).catch(
    async (error: unknown) => {
      throw new Error(`${(await missing()).length} of ${everyone.length} e-mails never arrived: ${String(error)}`);
    },
  );
  const sent = (await ses.emails()).length;
  process.stdout.write(`delivery storm: ${everyone.length} registrations, ${sent} e-mails, ${sent - everyone.length} duplicates\n`);
  expect(sent).toBeGreaterThanOrEqual(everyone.length);
}, 120_000);
