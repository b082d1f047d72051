import {
  BenchChild,
  defineBench,
  percentile,
  PushProviderEmulator,
  waitUntil,
  type BenchResult,
  type IsolatedContext,
} from '@remedy/testing';
import { InlineFollowerNotifications } from '../katas/c-1-inline-follower-notifications.flawed.js';
import { signAccessToken } from '../findings/support/access-tokens.js';
import { ApiClient } from '../findings/support/api-client.js';
import { awaitUserRoomsSubscribed } from '../findings/support/go-live-delivery.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedFollowers, seedMembers } from '../findings/support/seed-followers.js';
import { spawnChatInstance, type ChatInstance } from '../findings/support/spawn-chat-instance.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { startTestWorker } from '../findings/support/start-test-worker.js';
import { testConfig } from '../findings/support/test-config.js';
import { GoLiveAnnouncer } from '../src/notifications/go-live-announcer.js';
import type { StreamDto } from '../src/streams/stream.dto.js';
import {
  BENCH_FLAWED_FOLLOWERS,
  BENCH_FOLLOWERS,
  BENCH_ONLINE_SHARE,
  BENCH_ROUNDS,
  SOCKETS_PER_PROCESS,
} from './support/bench-settings.js';
import type { FollowerSwarmJob, StreamNotices } from './support/follower-swarm.child.js';

type Context = Omit<IsolatedContext, 'dispose'>;

const GOAL_START_P95_MS = 50;
const GOAL_ALL_PUSHED_MS = 5_000;
/** How long one go-live may take to reach everyone before the bench gives up on it. */
const DELIVERY_TIMEOUT_MS = 600_000;

async function noticeCount(ctx: Context, streamId: string, pushedOnly: boolean): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications WHERE stream_id = $1 ${pushedOnly ? 'AND pushed_at IS NOT NULL' : ''}`,
    [streamId],
  );
  return rows[0]?.n ?? 0;
}

/** The swarms' tally for one stream: followers reached, duplicate frames, the last first arrival. */
async function socketTally(swarms: BenchChild[], streamId: string): Promise<StreamNotices> {
  const replies = await Promise.all(
    swarms.map((swarm) => {
      const reply = swarm.next<StreamNotices>('notices');
      swarm.send({ type: 'notices', streamId });
      return reply;
    }),
  );
  return {
    type: 'notices',
    reached: replies.reduce((sum, reply) => sum + reply.reached, 0),
    duplicates: replies.reduce((sum, reply) => sum + reply.duplicates, 0),
    lastArrivalMs: Math.max(...replies.map((reply) => reply.lastArrivalMs)),
  };
}

export default defineBench({
  name: `live-streaming: go-live to ${BENCH_FOLLOWERS.toLocaleString('en')} followers (${BENCH_ONLINE_SHARE * 100} % online over WebSocket), against the inline loop at ${BENCH_FLAWED_FOLLOWERS.toLocaleString('en')}`,
  harness: liveStreamingHarness,
  async run(ctx) {
    const [streamerId, flawedStreamerId, warmUpStreamerId] = (await seedMembers(
      ctx.pool,
      3,
      'bench_streamer_',
    )) as [string, string, string];
    const followers = await seedFollowers(ctx.pool, streamerId, {
      count: BENCH_FOLLOWERS,
      tieSize: 100,
      emailPrefix: 'bench_follower_',
    });
    await seedFollowers(ctx.pool, flawedStreamerId, {
      count: BENCH_FLAWED_FOLLOWERS,
      tieSize: 100,
      emailPrefix: 'bench_flawed_follower_',
    });
    ctx.log(`seeded ${BENCH_FOLLOWERS} + ${BENCH_FLAWED_FOLLOWERS} followers`);

    const push = await PushProviderEmulator.start();
    const online = followers.slice(0, Math.round(BENCH_FOLLOWERS * BENCH_ONLINE_SHARE));
    const processes = Math.max(1, Math.ceil(online.length / SOCKETS_PER_PROCESS));
    const overrides = {
      PUSH_API_URL: push.url,
      CHAT_MAX_CONNECTIONS: String(SOCKETS_PER_PROCESS + 100),
      LOG_LEVEL: 'error',
    };
    const config = testConfig(ctx, overrides);
    const instances: ChatInstance[] = [];
    const swarms: BenchChild[] = [];
    const worker = await startTestWorker(ctx, overrides);
    try {
      // API instances and client processes alike hold at most SOCKETS_PER_PROCESS sockets each.
      for (let index = 0; index < processes; index += 1)
        instances.push(
          await spawnChatInstance({
            databaseUrl: ctx.databaseUrl,
            redisUrl: ctx.redisUrl,
            prefix: ctx.prefix,
            overrides,
            hub: 'real',
          }),
        );
      for (const [index, instance] of instances.entries()) {
        const job: FollowerSwarmJob = {
          config,
          wsUrl: instance.wsUrl,
          userIds: online.slice(index * SOCKETS_PER_PROCESS, (index + 1) * SOCKETS_PER_PROCESS),
        };
        swarms.push(new BenchChild(new URL('./support/follower-swarm.child.ts', import.meta.url), job));
      }
      await Promise.all(swarms.map((swarm) => swarm.next('ready')));
      await awaitUserRoomsSubscribed(ctx.redis, config, online, 120_000);
      ctx.log(
        `${online.length} followers online over ${processes} API instances and ${processes} client processes`,
      );

      const api = new ApiClient(instances[0]!.url);
      const token = await signAccessToken(config, streamerId);
      const rounds: Array<{ startMs: number; storedMs: number; pushedMs: number; duplicates: number }> = [];
      // The instance's first go-live pays for first use (JIT, first statements on fresh pool connections): a streamer
      // without followers takes it, reported apart, so the rounds measure the steady state a live service is in.
      const warmUpToken = await signAccessToken(config, warmUpStreamerId);
      const warmUpStartedAt = performance.now();
      const warmUp = await api.expect<StreamDto>(
        201,
        'POST',
        '/streams',
        { title: 'Warm-up', category: 'games' },
        warmUpToken,
      );
      const coldStartMs = performance.now() - warmUpStartedAt;
      await api.expect(200, 'POST', `/streams/${warmUp.id}/end`, undefined, warmUpToken);
      for (let round = 1; round <= BENCH_ROUNDS; round += 1) {
        const started = Date.now();
        const startedAt = performance.now();
        const stream = await api.expect<StreamDto>(
          201,
          'POST',
          '/streams',
          { title: `Round ${round}`, category: 'games' },
          token,
        );
        const startMs = performance.now() - startedAt;
        await waitUntil(
          `round ${round}: every notice stored`,
          async () => (await noticeCount(ctx, stream.id, false)) >= BENCH_FOLLOWERS,
          DELIVERY_TIMEOUT_MS,
        );
        const storedMs = Date.now() - started;
        let tally: StreamNotices | undefined;
        await waitUntil(
          `round ${round}: every online follower pushed`,
          async () => (tally = await socketTally(swarms, stream.id)).reached >= online.length,
          DELIVERY_TIMEOUT_MS,
        );
        const pushedMs = tally!.lastArrivalMs - started;
        await waitUntil(
          `round ${round}: every notice marked pushed`,
          async () => (await noticeCount(ctx, stream.id, true)) >= BENCH_FOLLOWERS,
          DELIVERY_TIMEOUT_MS,
        );
        rounds.push({ startMs, storedMs, pushedMs, duplicates: tally!.duplicates });
        ctx.log(
          `round ${round}: start ${Math.round(startMs)} ms, all stored ${storedMs} ms, all online pushed ${pushedMs} ms`,
        );
        await api.expect(200, 'POST', `/streams/${stream.id}/end`, undefined, token);
      }

      const phonesPushed = push.delivered;

      // The review's design in the same run: the inline loop plugged in at GoLiveAnnouncer, on an API in this process.
      const flawedApp = await startTestApp(ctx, overrides, {
        plugs: [{ provide: GoLiveAnnouncer, useClass: InlineFollowerNotifications }],
      });
      let flawedStartMs: number;
      try {
        const flawedApi = new ApiClient(flawedApp.url);
        const startedAt = performance.now();
        await flawedApi.expect(
          201,
          'POST',
          '/streams',
          { title: 'Inline', category: 'games' },
          await signAccessToken(config, flawedStreamerId),
        );
        flawedStartMs = performance.now() - startedAt;
      } finally {
        await flawedApp.close();
      }
      ctx.log(`inline loop: start ${Math.round(flawedStartMs)} ms for ${BENCH_FLAWED_FOLLOWERS} followers`);

      const startP95 = percentile(
        rounds.map((round) => round.startMs),
        95,
      );
      const pushedP95 = percentile(
        rounds.map((round) => round.pushedMs),
        95,
      );
      const result: BenchResult = {
        followers: BENCH_FOLLOWERS,
        'followers online (WebSocket)': online.length,
        'API instances / client processes': processes,
        rounds: BENCH_ROUNDS,
        'start request p50 ms': Math.round(
          percentile(
            rounds.map((round) => round.startMs),
            50,
          ),
        ),
        'start request p95 ms': Math.round(startP95),
        'first start on a cold instance ms (no followers, not in the rounds)': Math.round(coldStartMs),
        'all notices stored p95 ms': percentile(
          rounds.map((round) => round.storedMs),
          95,
        ),
        'every online follower pushed p95 ms': pushedP95,
        'duplicate frames': rounds.reduce((sum, round) => sum + round.duplicates, 0),
        'phones pushed (of followers × rounds)': `${phonesPushed} of ${BENCH_FOLLOWERS * BENCH_ROUNDS}`,
        [`inline loop at ${BENCH_FLAWED_FOLLOWERS} followers: start request ms`]: Math.round(flawedStartMs),
        goals: {
          [`start p95 ≤ ${GOAL_START_P95_MS} ms`]: startP95 <= GOAL_START_P95_MS,
          [`every online follower pushed ≤ ${GOAL_ALL_PUSHED_MS} ms`]: pushedP95 <= GOAL_ALL_PUSHED_MS,
        },
      };
      return result;
    } finally {
      for (const swarm of swarms) swarm.kill();
      await Promise.all(instances.map((instance) => instance.stop()));
      await worker.close();
      await push.stop();
    }
  },
});
