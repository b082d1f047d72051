import { dataSourcePools } from '@remedy/pooling';
import {
  defineBench,
  httpLoad,
  waitUntil,
  type BenchResult,
  type HttpLoadResult,
  type IsolatedContext,
  type ProviderPlug,
} from '@remedy/testing';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { UncacheableLiveList } from '../katas/m-5-uncacheable-live-list.flawed.js';
import { LiveListRepresentations } from '../src/streams/live-list.representations.js';
import type { StreamDto } from '../src/streams/stream.dto.js';
import { signAccessToken } from '../findings/support/access-tokens.js';
import { ApiClient } from '../findings/support/api-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedLiveStreams } from '../findings/support/seed-streams.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import {
  LIVE_LIST_CHURN_MS,
  LIVE_LIST_CONNECTIONS,
  LIVE_LIST_SECONDS,
  LIVE_LIST_STREAMS,
} from './support/bench-settings.js';

type Context = Omit<IsolatedContext, 'dispose'>;

interface Run {
  label: string;
  plugs: ProviderPlug[];
  /** Clients send If-None-Match with the newest ETag they have seen (browsers holding the list). */
  revalidate: boolean;
}

const RUNS: Run[] = [
  { label: 'cached, browsers revalidating', plugs: [], revalidate: true },
  { label: 'cached, first visits (no validator)', plugs: [], revalidate: false },
  {
    label: 'uncached (the review, katas/m-5)',
    plugs: [{ provide: LiveListRepresentations, useClass: UncacheableLiveList }],
    revalidate: true,
  },
];

/** Two streamers with profiles and no stream: the churn takes turns going live and ending. */
async function seedChurnStreamers(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH streamers AS (
       INSERT INTO users (email, password_hash)
       SELECT 'bench_churn_' || g || '@example.com', 'seeded' FROM generate_series(1, 2) AS g
       RETURNING id, email
     )
     INSERT INTO profiles (user_id, username, display_name)
     SELECT id, split_part(email, '@', 1), split_part(email, '@', 1) FROM streamers
     RETURNING user_id AS id`,
  );
  return rows.map((row) => row.id);
}

/**
 * While the load runs, every LIVE_LIST_CHURN_MS one streamer goes live or ends through the API (the list
 * changes, and the service replaces its cached pages): the share of 304s is what is left of browsers'
 * copies staying current, not a list that never moves.
 */
function churn(app: TestApp, streamerIds: string[]): { changes: () => number; stop: () => Promise<void> } {
  const api = new ApiClient(app.url);
  const live = new Map<string, string>();
  let changes = 0;
  let stopped = false;
  const loop = (async () => {
    for (let turn = 0; !stopped; turn += 1) {
      const streamerId = streamerIds[turn % streamerIds.length]!;
      const token = await signAccessToken(app.config, streamerId);
      const streamId = live.get(streamerId);
      if (streamId === undefined) {
        const started = await api.expect<StreamDto>(
          201,
          'POST',
          '/streams',
          { title: `Churn ${turn}`, category: 'music' },
          token,
        );
        live.set(streamerId, started.id);
      } else {
        await api.expect(200, 'POST', `/streams/${streamId}/end`, undefined, token);
        live.delete(streamerId);
      }
      changes += 1;
      await new Promise((resolve) => setTimeout(resolve, LIVE_LIST_CHURN_MS));
    }
    // The next run starts from the same list.
    for (const [streamerId, streamId] of live)
      await api.expect(
        200,
        'POST',
        `/streams/${streamId}/end`,
        undefined,
        await signAccessToken(app.config, streamerId),
      );
  })();
  return {
    changes: () => changes,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/**
 * autocannon stops by dropping its sockets, which lets the HTTP server close while handlers of the dropped
 * requests still hold pooled connections: wait for them before closing the pool under them.
 */
async function drained(app: TestApp): Promise<void> {
  const pools = dataSourcePools(app.app.get(DataSource));
  await waitUntil(
    'in-flight requests to release their connections',
    () =>
      Promise.resolve(pools.every((pool) => pool.idleCount === pool.totalCount && pool.waitingCount === 0)),
    10_000,
  );
}

async function loadRun(ctx: Context, run: Run, streamerIds: string[]): Promise<HttpLoadResult> {
  const app = await startTestApp(ctx, {}, { plugs: run.plugs });
  try {
    const changes = churn(app, streamerIds);
    let result: HttpLoadResult;
    try {
      result = await httpLoad({
        url: `${app.url}/streams/live?limit=${Math.min(100, LIVE_LIST_STREAMS)}`,
        connections: LIVE_LIST_CONNECTIONS,
        durationSeconds: LIVE_LIST_SECONDS,
        revalidate: run.revalidate,
      });
    } finally {
      await changes.stop();
    }
    const answered = (result.statuses['200'] ?? 0) + (result.statuses['304'] ?? 0);
    if (result.errors > 0 || answered !== result.requests)
      throw new Error(
        `${run.label}: ${result.errors} errors, statuses ${JSON.stringify(result.statuses)} of ${result.requests}`,
      );
    ctx.log(
      `${run.label}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.latencyMs.p99} ms, ` +
        `${result.statuses['304'] ?? 0} × 304 of ${result.requests}; ${changes.changes()} list changes`,
    );
    return result;
  } finally {
    await drained(app);
    await app.close();
  }
}

function summary(result: HttpLoadResult): BenchResult {
  return {
    'req/s': Math.round(result.requestsPerSecond),
    'p50 ms': result.latencyMs.p50,
    'p99 ms': result.latencyMs.p99,
    requests: result.requests,
    '304 answers': result.statuses['304'] ?? 0,
    'share answered 304 %':
      Math.round(((result.statuses['304'] ?? 0) / Math.max(1, result.requests)) * 1000) / 10,
  };
}

export default defineBench({
  name: 'live-streaming: live list at 50 keep-alive connections, cached vs uncached (req/s, p99, share of 304s)',
  harness: liveStreamingHarness,
  async run(ctx) {
    await seedLiveStreams(ctx.pool, LIVE_LIST_STREAMS, 'bench_live_');
    const streamerIds = await seedChurnStreamers(ctx.pool);
    ctx.log(
      `seeded ${LIVE_LIST_STREAMS} live streams; a stream starts or ends every ${LIVE_LIST_CHURN_MS} ms`,
    );
    const results: Record<string, BenchResult> = {};
    const raw: HttpLoadResult[] = [];
    for (const run of RUNS) {
      const result = await loadRun(ctx, run, streamerIds);
      raw.push(result);
      results[run.label] = summary(result);
    }
    const [revalidating, , uncached] = raw as [HttpLoadResult, HttpLoadResult, HttpLoadResult];
    const share304 = (revalidating.statuses['304'] ?? 0) / Math.max(1, revalidating.requests);
    const speedup =
      Math.round((revalidating.requestsPerSecond / Math.max(1, uncached.requestsPerSecond)) * 100) / 100;
    const goals: Record<string, BenchResult> = {
      'browsers revalidating: ≥ 90 % answered 304 while the list changes': {
        value: Math.round(share304 * 1000) / 10,
        met: share304 >= 0.9,
      },
      'cached (revalidating) serves ≥ 2 × the req/s of uncached': { value: speedup, met: speedup >= 2 },
    };
    const met = Object.values(goals).filter((verdict) => verdict['met'] === true).length;
    return {
      'live streams': LIVE_LIST_STREAMS,
      connections: LIVE_LIST_CONNECTIONS,
      'seconds per run': LIVE_LIST_SECONDS,
      'list changes every ms': LIVE_LIST_CHURN_MS,
      'goals met': `${met}/${Object.keys(goals).length}`,
      goals,
      ...results,
      'req/s, cached (revalidating) ÷ uncached': speedup,
      'p99, uncached ÷ cached (revalidating)':
        Math.round((uncached.latencyMs.p99 / Math.max(1, revalidating.latencyMs.p99)) * 100) / 100,
    };
  },
});
