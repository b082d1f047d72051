import { poolStatementsDuring } from '@remedy/pooling';
import {
  defineFinding,
  PushProviderEmulator,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import {
  BatchedInlineNotifications,
  FanoutInRequest,
  InlineFollowerNotifications,
} from '../katas/c-1-inline-follower-notifications.flawed.js';
import { GoLiveAnnouncer } from '../src/notifications/go-live-announcer.js';
import type { StreamDto } from '../src/streams/stream.dto.js';
import { signAccessToken } from './support/access-tokens.js';
import { ApiClient } from './support/api-client.js';
import { ChatTestClient } from './support/chat-test-client.js';
import {
  awaitGoLiveDelivery,
  awaitRoomMarkers,
  awaitUserRoomsSubscribed,
} from './support/go-live-delivery.js';
import { seedFollowers, seedMembers } from './support/seed-followers.js';
import { startTestApp } from './support/start-test-app.js';
import { startTestWorker, type TestWorker } from './support/start-test-worker.js';

/**
 * 2,000 followers in batches of 200: the ten batches of 10,000 in the production batch size of 1,000, so a
 * batched put-back makes as many round trips as at full scale, while the flawed run's per-follower loop
 * (FOLLOWERS round trips or more against the remedy's constant 5) and every run's seeding cost a fifth.
 */
const FOLLOWERS = 2_000;
const BATCH_SIZE = 200;
/** Followers with a /chat socket open while the streamer goes live: each must get exactly one frame. */
const ONLINE = 100;
/** The remedy's start request: the stream's INSERT, the outbox row, the stream read back (no provider call). */
const CONSTANT_ROUND_TRIPS = 5;

const FLAWS = {
  'batched but inline':
    'GoLiveAnnouncer ← BatchedInlineNotifications: one INSERT … SELECT for every follower and one provider call per batch, in the start request',
  'fan-out in the request':
    'GoLiveAnnouncer ← FanoutInRequest: batch jobs queued, but the start request pages the followers (a batch a page) to queue them',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: GoLiveAnnouncer, useClass: InlineFollowerNotifications }],
  remediated: [],
  'batched but inline': [{ provide: GoLiveAnnouncer, useClass: BatchedInlineNotifications }],
  'fan-out in the request': [{ provide: GoLiveAnnouncer, useClass: FanoutInRequest }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const [streamerId] = await seedMembers(ctx.pool, 1, 'c1_streamer_');
  const followers = await seedFollowers(ctx.pool, streamerId!, {
    count: FOLLOWERS,
    tieSize: 10,
    emailPrefix: 'c1_follower_',
  });
  const push = await PushProviderEmulator.start();
  const overrides = {
    PUSH_API_URL: push.url,
    NOTIFY_BATCH_SIZE: String(BATCH_SIZE),
    NOTIFY_RETRY_DELAY_MS: '100',
    NOTIFY_RELAY_POLL_MS: '100',
  };
  const testApp = await startTestApp(ctx, overrides, { plugs: PLUGS[run] });
  let worker: TestWorker | undefined;
  const online = followers.slice(0, ONLINE);
  const sockets: ChatTestClient[] = [];
  try {
    for (const id of online)
      sockets.push(await ChatTestClient.joined(testApp.wsUrl, await signAccessToken(testApp.config, id)));
    await awaitUserRoomsSubscribed(ctx.redis, testApp.config, online);
    // One batch fails mid-way: the provider refuses its first push with a 503 after the batch stored its
    // notices. The remedy retries that batch; the review's loop logs the failure and moves on.
    push.failNext({ status: 503 });

    const api = new ApiClient(testApp.url);
    const token = await signAccessToken(testApp.config, streamerId!);
    const started = performance.now();
    const { result: stream, count: statements } = await poolStatementsDuring(
      `${testApp.config.database.applicationName}-api`,
      () => api.expect<StreamDto>(201, 'POST', '/streams', { title: 'C1 go-live', category: 'games' }, token),
    );
    const startMs = performance.now() - started;
    const providerCalls = push.received;
    // The worker starts once the request has answered, so nothing it does can be counted as the request's:
    // the outbox row (or the queued batches) wait for it, as they would for a worker busy elsewhere.
    worker = await startTestWorker(ctx, overrides);

    const delivery = await awaitGoLiveDelivery(ctx.pool, testApp.config, stream.id, followers, 240_000);
    // A frame published before the queues went idle may still be on its way (Redis, the frame window): a marker
    // published now to each online follower's room arrives after it, so a socket holding its marker holds every
    // notification frame it will get.
    await awaitRoomMarkers(ctx.redis, testApp.config, online, sockets);
    const phonesNotOnce = followers.filter((id) => push.deliveriesTo(id) !== 1).length;
    const socketsNotOnce = sockets.filter(
      (socket) =>
        socket.ofType('notification').filter((frame) => frame['streamId'] === stream.id).length !== 1,
    ).length;
    const roundTrips = statements + providerCalls;
    ctx.log(
      `${run}: start request ${statements} SQL statements + ${providerCalls} provider calls in ${Math.round(startMs)} ms; ` +
        `${delivery.batchJobs} batch jobs (${delivery.retriedBatches} retried); ${delivery.notifiedOnce} notified once, ` +
        `${delivery.missing} missing, ${delivery.duplicateRows} duplicate rows; phones not pushed exactly once ${phonesNotOnce}, ` +
        `open sockets without exactly one frame ${socketsNotOnce}`,
    );
    if (run === 'remediated') {
      // Every follower ends with exactly one notice, one phone push and (online) one frame, the failed batch
      // retried: a remedy that answers at once but loses or repeats a notice is no remedy, so this fails the proof.
      const problems = [
        delivery.notifiedOnce !== FOLLOWERS &&
          `${FOLLOWERS - delivery.notifiedOnce} followers without exactly one notice`,
        phonesNotOnce > 0 && `${phonesNotOnce} phones not pushed exactly once`,
        socketsNotOnce > 0 && `${socketsNotOnce} open sockets without exactly one frame`,
        delivery.batchJobs !== Math.ceil(FOLLOWERS / BATCH_SIZE) &&
          `${delivery.batchJobs} batch jobs, not ${Math.ceil(FOLLOWERS / BATCH_SIZE)}`,
        delivery.retriedBatches < 1 && 'the failed batch was not retried',
      ].filter(Boolean);
      if (problems.length > 0) throw new Error(`${run}: ${problems.join('; ')}`);
    }
    return {
      value: roundTrips,
      details: {
        followers: FOLLOWERS,
        'start request: SQL statements': statements,
        'start request: push provider calls': providerCalls,
        'start request ms': Math.round(startMs),
        'batch jobs queued': delivery.batchJobs,
        'batch jobs retried': delivery.retriedBatches,
        'followers with exactly one notice': delivery.notifiedOnce,
        'phones not pushed exactly once': phonesNotOnce,
        [`of ${ONLINE} open sockets, without exactly one frame`]: socketsNotOnce,
      },
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    await worker?.close();
    await testApp.close();
    await push.stop();
  }
}

export default defineFinding({
  id: 'livestream:C1',
  title: 'Go-live notifies every follower one query and one call at a time, inside the start request',
  explanation:
    'The design’s start flow has the notification service send to every follower: one query for the followers, then ' +
    'an INSERT and a provider call per follower before the request answers, so a streamer with 10,000 followers waits ' +
    'through 20,000 round trips and one failed call loses that follower’s notice. The remedy writes one outbox row in ' +
    'the go-live transaction and answers; the worker pages the followers by keyset and queues one batch job per 1,000, ' +
    'each storing its notices in one INSERT … ON CONFLICT DO NOTHING (unique per follower and stream), pushing the ' +
    'unpushed ones in one provider call and over WebSocket, then marking them pushed, so a retried batch notifies ' +
    'nobody twice. Measured through HTTP with 2,000 followers in batches of 200 (ten batches, as 10,000 in batches ' +
    'of 1,000), 100 of them online, and the first provider call failing: SQL statements plus provider calls the start request made, then every notice, push and frame counted.',
  fix: [
    'src/notifications/go-live-announcer.ts',
    'src/notifications/go-live-fanout.job.ts',
    'src/notifications/notify-followers.job.ts',
    'src/notifications/follower-batch.sql.ts',
    'src/notifications/push/push-provider.client.ts',
  ],
  difficulty: 3,
  hints: [
    'Count what the start request does per follower before it answers.',
    'The streamer waits for work only the followers need; and one failed call in the loop is one follower never told.',
    'Batching inside the request still makes the request wait for all of it.',
    'The technique: a transactional outbox row, then a fan-out job that queues idempotent batch jobs (ON CONFLICT DO NOTHING).',
  ],
  seam: 'GoLiveAnnouncer (Nest provider called inside the go-live transaction) ← katas/c-1-inline-follower-notifications.flawed.ts InlineFollowerNotifications',
  flawsPutBack: FLAWS,
  metric: {
    name: `SQL statements + push provider calls in the start request, ${FOLLOWERS} followers`,
    unit: 'round trips',
    better: 'lower',
  },
  measure,
  flawed: (roundTrips) => roundTrips >= FOLLOWERS,
  remediated: (roundTrips) => roundTrips <= CONSTANT_ROUND_TRIPS,
  timeoutMs: 600_000,
});
