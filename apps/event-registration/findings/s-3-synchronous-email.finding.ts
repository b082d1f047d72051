import { SESv2Client } from '@aws-sdk/client-sesv2';
import {
  defineFinding,
  waitForQueuesIdle,
  waitUntil,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import { Queue } from 'bullmq';
import type pg from 'pg';
import {
  FireAndForgetMailRegisterService,
  SynchronousMailRegisterService,
} from '../katas/s-3-synchronous-email.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { NOTIFICATIONS_QUEUE } from '../src/notifications/notification-queue.js';
import { OutboxRelayService } from '../src/notifications/outbox-relay.service.js';
import { createSesClient, SES_CLIENT } from '../src/notifications/ses-client.factory.js';
import { PRIMARY_POOL } from '../src/registrations/primary-pool.provider.js';
import { RegisterService } from '../src/registrations/register.service.js';
import { RegistrationChanges } from '../src/registrations/registration-changes.js';
import { accessTokensFor } from './support/access-tokens.js';
import { seedEvent } from './support/seed-events.js';
import { seedAttendees, seedOrganiser } from './support/seed-users.js';
import { SesEmulator } from './support/ses-emulator.js';
import { startTestApp } from './support/start-test-app.js';
import { startTestWorker } from './support/start-test-worker.js';

const PROVIDER_DELAY_MS = 300;
/** Registrations while SES is slow (latency, reported) and while SES is down (judged). */
const SLOW_REGISTRATIONS = 5;
const DOWN_REGISTRATIONS = 3;
const FROM = 'events@example.com';

type Flaw = 'mailer that never retries' | 'send moved back into the request';
type Run = 'flawed' | 'remediated' | Flaw;

const emailOf = (index: number): string => `s3-${index + 1}@example.com`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The review's SES client: the SDK's defaults (its own 3 attempts, no timeout policy). */
function reviewSesClient(ses: SesEmulator): SESv2Client {
  return new SESv2Client({
    region: 'ap-northeast-1',
    endpoint: ses.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** What each run plugs into the API's registration step and the worker's mail step. */
interface Plugs {
  api: ProviderPlug[];
  worker: ProviderPlug[];
  /** Resolves once sends the request started on its own (not awaited) are over; none in most runs. */
  requestSendsSettled: () => Promise<void>;
}

function plugsFor(run: Run, ses: SesEmulator): Plugs {
  const inRequestServices: FireAndForgetMailRegisterService[] = [];
  const requestSendsSettled = async (): Promise<void> => {
    await Promise.all(inRequestServices.map((service) => service.sendsSettled()));
  };
  // The review has no outbox consumer: with the send in the request, the worker relays nothing.
  const noRelay: ProviderPlug = { provide: OutboxRelayService, useValue: {} };
  const inRequest = (
    Service: typeof SynchronousMailRegisterService | typeof FireAndForgetMailRegisterService,
  ): ProviderPlug => ({
    provide: RegisterService,
    inject: [PRIMARY_POOL, RegistrationChanges],
    useFactory: (pool: pg.Pool, changes: RegistrationChanges) => {
      const service = new Service(pool, changes, reviewSesClient(ses), FROM);
      if (service instanceof FireAndForgetMailRegisterService) inRequestServices.push(service);
      return service;
    },
  });
  switch (run) {
    case 'remediated':
      return { api: [], worker: [], requestSendsSettled };
    case 'flawed':
      return { api: [inRequest(SynchronousMailRegisterService)], worker: [noRelay], requestSendsSettled };
    case 'send moved back into the request':
      return {
        api: [inRequest(FireAndForgetMailRegisterService)],
        worker: [noRelay],
        requestSendsSettled,
      };
    case 'mailer that never retries':
      return {
        api: [],
        requestSendsSettled,
        worker: [
          {
            // One attempt per message: a refused send is dropped and the job completes.
            provide: SES_CLIENT,
            inject: [APP_CONFIG],
            useFactory: (config: AppConfig) => {
              const client = createSesClient(config.mail);
              const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
              return Object.assign(Object.create(client) as SESv2Client, {
                send: (command: unknown) => send(command).catch(() => undefined),
              });
            },
          },
        ],
      };
  }
}

/**
 * SES stays down until every mail of the outage was refused at least once, wherever it is sent from, and
 * every retrying job has had a second attempt refused (several relay polls later): a design that never
 * retries, or retries only within the request, has nothing left to try when SES comes back. Sends a request
 * started without awaiting them are waited for too, so none of them is still retrying at the release.
 */
async function holdOutage(
  ses: SesEmulator,
  queue: Queue,
  addresses: string[],
  requestSendsSettled: () => Promise<void>,
): Promise<void> {
  await requestSendsSettled();
  await waitUntil(
    'every mail of the outage refused once and every retrying job refused twice',
    async () => {
      if (addresses.some((address) => ses.refusedTo(address) === 0)) return false;
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(counts).some((count) => count > 0)) return false;
      const delayed = await queue.getJobs(['delayed']);
      return delayed.every((job) => job.attemptsMade >= 2);
    },
    60_000,
  );
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const organiserId = await seedOrganiser(ctx.pool, 's3-organiser@example.com');
  const event = await seedEvent(ctx.pool, { organiserId, capacity: 50 });
  const users = await seedAttendees(ctx.pool, SLOW_REGISTRATIONS + DOWN_REGISTRATIONS, 's3');
  const ses = await SesEmulator.start();
  const plugs = plugsFor(run, ses);
  await ses.clear();
  const overrides = { SES_ENDPOINT: ses.endpoint, SES_REQUEST_TIMEOUT_MS: '2000' };
  const testApp = await startTestApp(ctx, overrides, { plugs: plugs.api });
  const worker = await startTestWorker(ctx, overrides, plugs.worker);
  const queue = new Queue(NOTIFICATIONS_QUEUE, {
    connection: { url: ctx.redisUrl },
    prefix: worker.config.redis.queuePrefix,
  });
  try {
    const tokens = await accessTokensFor(testApp, users);
    const register = async (index: number): Promise<{ status: number; ms: number }> => {
      const started = performance.now();
      const response = await fetch(`${testApp.url}/events/${event.id}/registrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[index]}` },
      });
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - started };
    };

    // A slow provider: what each registration costs the caller (reported, not judged).
    ses.delayMs = PROVIDER_DELAY_MS;
    const latencies: number[] = [];
    for (let i = 0; i < SLOW_REGISTRATIONS; i += 1) latencies.push((await register(i)).ms);
    ses.delayMs = 0;
    await waitForQueuesIdle([queue], { timeoutMs: 30_000 });

    // SES down, held down until every design has tried (and, if it retries, retried) these mails.
    ses.failing = true;
    const down = Array.from({ length: DOWN_REGISTRATIONS }, (_, k) => SLOW_REGISTRATIONS + k);
    const answers: number[] = [];
    for (const index of down) answers.push((await register(index)).status);
    await holdOutage(
      ses,
      queue,
      down.map((index) => emailOf(index)),
      plugs.requestSendsSettled,
    );
    const refusedAttempts = down.reduce((sum, index) => sum + ses.refusedTo(emailOf(index)), 0);
    ses.failing = false;

    // SES is back: every retry still pending runs; then count what arrived.
    await waitForQueuesIdle([queue], { timeoutMs: 60_000 });
    const failed = answers.filter((status) => status !== 201).length;
    let undelivered = 0;
    for (const index of down) if ((await ses.emailsTo(emailOf(index))).length === 0) undelivered += 1;
    return {
      value: failed + undelivered,
      details: {
        'registrations while SES was down': DOWN_REGISTRATIONS,
        'answered other than 201 while SES was down': failed,
        'their e-mails never delivered after SES came back': undelivered,
        'SendEmail attempts refused during the outage': refusedAttempts,
        [`median registration latency with a ${PROVIDER_DELAY_MS} ms provider (ms)`]: Math.round(
          median(latencies),
        ),
      },
    };
  } finally {
    await queue.close();
    await worker.close();
    await testApp.close();
    await ses.stop();
  }
}

export default defineFinding({
  id: 'events:S-3',
  title: 'Confirmation e-mail sent synchronously inside the registration request',
  explanation:
    "The original request awaits SES before answering, so every registration pays the provider's latency and a provider " +
    "outage fails the registration. The service writes the confirmation as an outbox row in the registration's own " +
    "statement; the worker's relay moves it to BullMQ and the mail job sends it through SES with request timeouts, 5 " +
    'attempts with exponential backoff, a dead-letter count, and a processed-message guard so a retry never mails twice. ' +
    'The proof holds SES down (503) across several attempts and relay polls, and counts registrations made meanwhile ' +
    'that were not answered 201 plus those whose e-mail never arrived once SES was back.',
  fix: [
    'src/registrations/register.sql.ts',
    'src/notifications/outbox-relay.service.ts',
    'src/notifications/confirmation-mail.job.ts',
    'src/notifications/ses-client.factory.ts',
  ],
  difficulty: 3,
  hints: [
    'When SES is down, what does the attendee see? The registration has nothing to do with whether the mail goes out right now.',
    'Answer the request once the registration is stored; send the mail later, somewhere that can retry.',
    'Write the mail as a message in the same transaction as the registration, and let a worker deliver it with retries and backoff.',
    'The technique: the transactional outbox (libs/outbox) relayed to a queue, with a retrying, idempotent mail job.',
  ],
  seam:
    "the registration's mail step, both ends: the API's RegisterService (Nest provider) ← katas/s-3-synchronous-email.flawed.ts " +
    "SynchronousMailRegisterService (the real registration, then the review's awaited SES send), and the worker's " +
    'OutboxRelayService replaced by nothing (the review has no outbox consumer); every run registers through POST ' +
    '/events/:id/registrations against the same SES emulator',
  flawsPutBack: {
    'mailer that never retries':
      "the worker's SES client drops a refused send: one attempt per message, the job completes",
    'send moved back into the request':
      'the send back in the request, not awaited (fire and forget), and no outbox relay',
  },
  metric: {
    name: 'registrations during a SES outage that failed or never got their e-mail',
    unit: 'registrations',
    better: 'lower',
  },
  measure: (run, ctx) => measure(run, ctx),
  flawed: (hurt) => hurt >= DOWN_REGISTRATIONS,
  remediated: (hurt) => hurt === 0,
  timeoutMs: 120_000,
});
