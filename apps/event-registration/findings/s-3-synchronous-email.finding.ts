import { SESv2Client } from '@aws-sdk/client-sesv2';
import { defineFinding, waitUntil, type FindingContext, type Measurement } from '@remedy/testing';
import { registerAndEmailSynchronously } from '../katas/s-3-synchronous-email.flawed.js';
import { accessTokensFor } from './support/access-tokens.js';
import { seedEvent } from './support/seed-events.js';
import { seedAttendees, seedOrganiser } from './support/seed-users.js';
import { SesEmulator } from './support/ses-emulator.js';
import { startTestApp } from './support/start-test-app.js';
import { startTestWorker } from './support/start-test-worker.js';

const PROVIDER_DELAY_MS = 300;
const REGISTRATIONS = 10;
const FROM = 'events@example.com';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

interface Scenario {
  register(userIndex: number): Promise<unknown>;
  emailsTo(userIndex: number): Promise<number>;
}

/** Registrations with a slow provider, then one with the provider down, then whether its e-mail comes later. */
async function runScenario(ses: SesEmulator, scenario: Scenario): Promise<Measurement> {
  ses.delayMs = PROVIDER_DELAY_MS;
  const latencies: number[] = [];
  for (let i = 0; i < REGISTRATIONS; i += 1) latencies.push(await timed(() => scenario.register(i)));
  ses.delayMs = 0;
  ses.failing = true;
  const down = REGISTRATIONS;
  const failedWhileDown = await scenario.register(down).then(
    () => 0,
    () => 1,
  );
  ses.failing = false;
  let deliveredLater = 0;
  if (failedWhileDown === 0) {
    await waitUntil(
      'the e-mail of the registration made while SES was down',
      async () => (await scenario.emailsTo(down)) > 0,
      30_000,
    );
    deliveredLater = 1;
  }
  return {
    value: Math.round(median(latencies)),
    details: {
      'provider delay (ms)': PROVIDER_DELAY_MS,
      'max latency (ms)': Math.round(Math.max(...latencies)),
      'registrations failed while SES down': failedWhileDown,
      'e-mail delivered after SES recovered': deliveredLater,
    },
  };
}

async function flawed(
  ctx: FindingContext,
  ses: SesEmulator,
  eventId: string,
  users: string[],
): Promise<Measurement> {
  // The original has no timeout policy: the SDK's defaults, including its own retries.
  const client = new SESv2Client({
    region: 'ap-northeast-1',
    endpoint: ses.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await runScenario(ses, {
      register: (i) => registerAndEmailSynchronously(ctx.pool, client, FROM, eventId, users[i]!),
      emailsTo: async (i) => (await ses.emailsTo(`s3-${i + 1}@example.com`)).length,
    });
  } finally {
    client.destroy();
  }
}

async function remediated(
  ctx: FindingContext,
  ses: SesEmulator,
  eventId: string,
  users: string[],
): Promise<Measurement> {
  const testApp = await startTestApp(ctx);
  const worker = await startTestWorker(ctx, { SES_ENDPOINT: ses.endpoint, SES_REQUEST_TIMEOUT_MS: '2000' });
  try {
    const tokens = await accessTokensFor(testApp, users);
    return await runScenario(ses, {
      register: async (i) => {
        const response = await fetch(`${testApp.url}/events/${eventId}/registrations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[i]}` },
        });
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
      },
      emailsTo: async (i) => (await ses.emailsTo(`s3-${i + 1}@example.com`)).length,
    });
  } finally {
    await worker.close();
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:S-3',
  title: 'Confirmation e-mail sent synchronously inside the registration request',
  explanation:
    "The original request awaits SES before answering, so every registration pays the provider's latency and a provider " +
    "outage fails the registration. The service writes the confirmation as an outbox row in the registration's own " +
    "statement; the worker's relay moves it to BullMQ and the mail job sends it through SES with request timeouts, 5 " +
    'attempts with exponential backoff, a dead-letter count, and a processed-message guard so a retry never mails twice.',
  fix: [
    'src/registrations/register.sql.ts',
    'src/notifications/outbox-relay.service.ts',
    'src/notifications/confirmation-mail.job.ts',
    'src/notifications/ses-client.factory.ts',
  ],
  metric: {
    name: `median registration latency with a ${PROVIDER_DELAY_MS} ms mail provider`,
    unit: 'ms',
    better: 'lower',
  },
  async measure(variant, ctx): Promise<Measurement> {
    const organiserId = await seedOrganiser(ctx.pool, 's3-organiser@example.com');
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 50 });
    const users = await seedAttendees(ctx.pool, REGISTRATIONS + 1, 's3');
    const ses = await SesEmulator.start();
    try {
      await ses.clear();
      return variant === 'flawed'
        ? await flawed(ctx, ses, event.id, users)
        : await remediated(ctx, ses, event.id, users);
    } finally {
      await ses.stop();
    }
  },
  flawed: (ms) => ms >= PROVIDER_DELAY_MS,
  remediated: (ms) => ms < PROVIDER_DELAY_MS,
  timeoutMs: 90_000,
});
