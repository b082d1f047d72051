import { randomUUID } from 'node:crypto';
import { defineBench, type BenchResult, type IsolatedContext, type ProviderPlug } from '@remedy/testing';
import { IncrPerJoinViewerCounter } from '../katas/s-4-viewer-count-hot-key.flawed.js';
import { ViewerCounter } from '../src/viewers/viewer-counter.js';
import { signAccessToken } from '../findings/support/access-tokens.js';
import { ApiClient } from '../findings/support/api-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { RedisCommandMonitor } from '../findings/support/redis-command-monitor.js';
import { seedLiveStreamer } from '../findings/support/seed-live-stream.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { VIEWER_JOINS, VIEWER_JOIN_SECONDS } from './support/bench-settings.js';

/** The count's stated error bound (ViewerCounter: three standard errors of Redis HyperLogLog's 0.81 %). */
const ERROR_BOUND = 0.025;
/** Joins arrive in slices this far apart (a rush spread over VIEWER_JOIN_SECONDS, not one synchronous loop). */
const TICK_MS = 10;

type Context = Omit<IsolatedContext, 'dispose'>;

interface Variant {
  label: string;
  plugs: ProviderPlug[];
}

const VARIANTS: Variant[] = [
  { label: 'HyperLogLog, batched (the service)', plugs: [] },
  {
    label: 'INCR per join (the review, katas/s-4)',
    plugs: [{ provide: ViewerCounter, useClass: IncrPerJoinViewerCounter }],
  },
];

interface VariantOutcome {
  result: BenchResult;
  commands: number;
  error: number;
}

/**
 * One variant: the real app with the variant at ViewerCounter's seam; VIEWER_JOINS distinct viewers join one
 * live stream through the provider the chat gateway calls on `join`, in slices over VIEWER_JOIN_SECONDS; then
 * GET /streams/:id/viewers reads the count. The Redis server reports (MONITOR) every command it ran on the
 * app's viewer keys, from any client.
 */
async function joinViewers(ctx: Context, variant: Variant, streamId: string): Promise<VariantOutcome> {
  const app = await startTestApp(ctx, {}, { plugs: variant.plugs });
  const monitor = await RedisCommandMonitor.start(ctx.redisUrl, `${app.config.redis.keyPrefix}viewers:`);
  try {
    const counter = app.app.get(ViewerCounter);
    const ticks = Math.max(1, Math.round((VIEWER_JOIN_SECONDS * 1000) / TICK_MS));
    const perTick = Math.ceil(VIEWER_JOINS / ticks);
    const started = performance.now();
    for (let joined = 0; joined < VIEWER_JOINS;) {
      const sliceEnd = Math.min(VIEWER_JOINS, joined + perTick);
      for (; joined < sliceEnd; joined += 1) counter.joined(streamId, randomUUID());
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    const joinSeconds = (performance.now() - started) / 1000;
    // Read on the same Redis connection the joins wrote on, after them: every write is in by then.
    const { viewers } = await new ApiClient(app.url).expect<{ viewers: number }>(
      200,
      'GET',
      `/streams/${streamId}/viewers`,
      undefined,
      await signAccessToken(app.config, randomUUID()),
    );
    await monitor.settle(60_000);
    const commands = monitor.commands;
    const error = Math.abs(viewers - VIEWER_JOINS) / VIEWER_JOINS;
    ctx.log(`${variant.label}: ${VIEWER_JOINS} joins → ${commands} Redis commands; count ${viewers}`);
    return {
      commands,
      error,
      result: {
        'joins/s offered': Math.round(VIEWER_JOINS / joinSeconds),
        'Redis commands on the viewer keys (server, MONITOR; joins + one count read)': commands,
        'Redis commands per 1,000 joins': Math.round((commands / VIEWER_JOINS) * 1000 * 100) / 100,
        'count read back': viewers,
        'count error %': Math.round(error * 10_000) / 100,
      },
    };
  } finally {
    await monitor.stop();
    await app.close();
  }
}

export default defineBench({
  name: 'live-streaming: 100,000 viewer joins, HyperLogLog/batched vs INCR per join (Redis commands, count error)',
  harness: liveStreamingHarness,
  async run(ctx) {
    const outcomes: VariantOutcome[] = [];
    for (const [index, variant] of VARIANTS.entries()) {
      // A stream per variant: neither reads the other's keys.
      const { streamId } = await seedLiveStreamer(ctx.pool, `bench_viewers_${index}`);
      outcomes.push(await joinViewers(ctx, variant, streamId));
    }
    const [batched, perJoin] = outcomes as [VariantOutcome, VariantOutcome];
    const goals: Record<string, BenchResult> = {
      'HyperLogLog: count within the stated ±2.5 %': {
        value: batched.result['count error %'] as number,
        met: batched.error <= ERROR_BOUND,
      },
      'HyperLogLog: ≤ 1 Redis command per 1,000 joins': {
        value: batched.result['Redis commands per 1,000 joins'] as number,
        met: batched.commands <= VIEWER_JOINS / 1000,
      },
    };
    const met = Object.values(goals).filter((verdict) => verdict['met'] === true).length;
    return {
      joins: VIEWER_JOINS,
      'seconds the joins arrive over': VIEWER_JOIN_SECONDS,
      'goals met': `${met}/${Object.keys(goals).length}`,
      goals,
      [VARIANTS[0]!.label]: batched.result,
      [VARIANTS[1]!.label]: perJoin.result,
      'Redis commands, INCR per join ÷ HyperLogLog': Math.round(
        perJoin.commands / Math.max(1, batched.commands),
      ),
    };
  },
});
