import {
  BenchChild,
  cpuSecondsOfProcesses,
  defineBench,
  percentile,
  type BenchResult,
  type IsolatedContext,
} from '@remedy/testing';
import { LiveDashboardClient } from '../findings/live-support/live-dashboard-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { testConfig } from '../findings/support/start-test-app.js';
import { spawnApiCluster, type ApiClusterProcess } from './support/api-cluster-process.js';
import {
  BENCH_DEVICES,
  BENCH_SECONDS,
  BENCH_WARMUP_SECONDS,
  BENCH_WORKERS,
} from './support/bench-settings.js';
import type { DashboardSwarmJob, DashboardSwarmResult } from './support/dashboard-swarm.child.js';
import { DeviceSwarms } from './support/device-swarms.js';
import { scrapeMetrics, serverStages } from './support/server-stages.js';

const WARDS = 50;
const DASHBOARDS = 10;
/** The overload run: every device records this many times faster than in the sustainable run. */
const OVERLOAD_FACTOR = 2;

type Context = Omit<IsolatedContext, 'dispose'>;

interface RunSettings {
  label: string;
  seconds: number;
  readingsPerSecond: number;
  /** The server's limit per message: a device resends its backlog in batches of at most this. */
  maxReadingsPerMessage: number;
}

/** One run of the devices against the running API, counted on both sides and in Postgres. */
interface RunOutcome {
  result: BenchResult;
  lost: number;
  storedPerSecondUnderLoad: number;
  pushP95Ms: number;
  pushP99Ms: number;
}

async function storedRows(ctx: Context): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vital_data');
  return rows[0]?.n ?? 0;
}

/**
 * Every device records `readingsPerSecond` times a second for `seconds`, then stops (the load drops) and
 * waits for the acks of what it still holds; 10 dashboards watch the 50 wards meanwhile.
 */
async function runDevices(
  ctx: Context,
  app: ApiClusterProcess,
  registry: SeededRegistry,
  dashboardToken: string,
  settings: RunSettings,
): Promise<RunOutcome> {
  const wardsPerDashboard = WARDS / DASHBOARDS;
  const dashboardJob: DashboardSwarmJob = {
    wsUrl: app.wsUrl,
    token: dashboardToken,
    wardsByDashboard: Array.from({ length: DASHBOARDS }, (_, i) =>
      registry.wardIds.slice(i * wardsPerDashboard, (i + 1) * wardsPerDashboard),
    ),
  };
  const dashboards = new BenchChild(
    new URL('./support/dashboard-swarm.child.ts', import.meta.url),
    dashboardJob,
    {
      name: 'dashboard swarm',
    },
  );
  const swarms = new DeviceSwarms({
    wsUrl: app.wsUrl,
    devices: registry.devices,
    seconds: settings.seconds,
    readingsPerSecond: settings.readingsPerSecond,
    maxReadingsPerMessage: settings.maxReadingsPerMessage,
  });
  let progress: NodeJS.Timeout | undefined;
  try {
    await Promise.all([dashboards.next('ready'), swarms.ready]);
    ctx.log(
      `${settings.label}: ${BENCH_DEVICES} devices × ${settings.readingsPerSecond} Hz in ${swarms.processes} processes, ${DASHBOARDS} dashboards on ${WARDS} wards; running ${settings.seconds} s`,
    );
    const storedBefore = await storedRows(ctx);
    const metricsBefore = await scrapeMetrics(app.url);
    const serverPids = app.pids();
    const cpuBefore = cpuSecondsOfProcesses(serverPids);
    const started = performance.now();
    progress = setInterval(
      () => ctx.log(`  … ${Math.round((performance.now() - started) / 1000)} s`),
      10_000,
    );
    const startAt = swarms.start();
    const loadEnds = startAt + settings.seconds * 1000;
    const totals = await swarms.finished();
    const wallSeconds = (performance.now() - started) / 1000;
    const serverCpuSeconds = cpuSecondsOfProcesses(serverPids) - cpuBefore;
    const stages = serverStages(metricsBefore, await scrapeMetrics(app.url));
    clearInterval(progress);
    // Let the push path hand the last stored batches to the dashboards before they stop counting.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    dashboards.send({ type: 'stop' });
    const { result: pushed } = await dashboards.next<{ result: DashboardSwarmResult }>('result');

    const stored = (await storedRows(ctx)) - storedBefore;
    // Stored while the devices were recording (received_at is the flush's commit time), not while they
    // drained what they held after the load dropped.
    const { rows } = await ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM vital_data
        WHERE received_at >= to_timestamp($1 / 1000.0) AND received_at < to_timestamp($2 / 1000.0)`,
      [startAt, loadEnds],
    );
    const storedUnderLoad = rows[0]?.n ?? 0;
    const storedPerSecondUnderLoad = Math.round(storedUnderLoad / settings.seconds);
    const pushP95Ms = percentile(pushed.latenciesMs, 95);
    const pushP99Ms = percentile(pushed.latenciesMs, 99);
    const cpuPerReadingUs = Math.round((serverCpuSeconds * 1e6) / Math.max(1, stored));
    const result: BenchResult = {
      'readings per device per second': settings.readingsPerSecond,
      'readings sent': totals.sent,
      'readings stored': stored,
      'readings lost': totals.sent - stored,
      'readings acked': totals.acked,
      'readings/s stored while the devices record': storedPerSecondUnderLoad,
      'readings/s stored (sent → last ack)': Math.round(stored / wallSeconds),
      'seconds until the last ack': Math.round(wallSeconds),
      'throttled replies': totals.throttled,
      'readings resent': totals.resent,
      'error replies': totals.errors,
      'unexpected device closes': totals.unexpectedCloses,
      'dashboard readings received': pushed.readings,
      'ingest → dashboard p50 ms': percentile(pushed.latenciesMs, 50),
      'ingest → dashboard p95 ms': pushP95Ms,
      'ingest → dashboard p99 ms': pushP99Ms,
      'ingest → dashboard p99 ms per 10 s of the run': p99PerWindow(pushed, startAt),
      ...stages,
      'dashboard process event-loop delay max ms': pushed.eventLoopDelayMaxMs,
      'dashboard process event-loop delay p99 ms': pushed.eventLoopDelayP99Ms,
      'server CPU (% of one core, all processes)': Math.round((serverCpuSeconds / wallSeconds) * 100),
      'server CPU µs per stored reading': cpuPerReadingUs,
      'device processes CPU (% of one core)': Math.round((totals.cpuSeconds / wallSeconds) * 100),
    };
    ctx.log(
      `${settings.label}: sent ${totals.sent}, stored ${stored}, lost ${totals.sent - stored}; ${storedPerSecondUnderLoad} stored/s under load; push p95 ${pushP95Ms} ms; server CPU ${cpuPerReadingUs} µs per reading`,
    );
    return { result, lost: totals.sent - stored, storedPerSecondUnderLoad, pushP95Ms, pushP99Ms };
  } finally {
    clearInterval(progress);
    dashboards.kill();
    swarms.kill();
  }
}

/**
 * The p99 of each 10 s of the run, by when the dashboard received the reading: a tail from the start (connections,
 * JIT, first partition writes) shows in the first windows, one from periodic stalls in all of them.
 */
function p99PerWindow(pushed: DashboardSwarmResult, startAt: number): BenchResult {
  const windows: number[][] = [];
  pushed.latenciesMs.forEach((latency, index) => {
    const window = Math.max(0, Math.floor(((pushed.sampledAt[index] ?? startAt) - startAt) / 10_000));
    (windows[window] ??= []).push(latency);
  });
  const byWindow: BenchResult = {};
  windows.forEach((latencies, window) => {
    byWindow[`${window * 10}–${(window + 1) * 10} s`] = percentile(latencies, 99);
  });
  return byWindow;
}

/** Readings stored more than once: rows sharing a device and an instant (the key allows one per patient too). */
async function duplicateReadings(ctx: Context): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    `SELECT coalesce(sum(copies - 1), 0)::int AS n
       FROM (SELECT count(*) AS copies FROM vital_data GROUP BY device_id, recorded_at) AS per_reading
      WHERE copies > 1`,
  );
  return rows[0]?.n ?? 0;
}

function goal(value: number, met: boolean): BenchResult {
  return { value, met };
}

export default defineBench({
  name: 'medical-vitals: 5,000 devices × 1 Hz over WebSocket, then × 2 Hz (overload): lost readings, ingest → dashboard latency, CPU',
  harness: medicalVitalsHarness,
  async run(ctx) {
    const registry = await seedRegistry(ctx.pool, { wards: WARDS, patients: BENCH_DEVICES });
    ctx.log(`seeded ${BENCH_DEVICES} devices in ${WARDS} wards`);
    // The server runs as production runs it: src/main.ts, one API process per core (node:cluster).
    const serverEnv = {
      LIVE_MAX_CONNECTIONS: '100',
      DEVICE_RATE_BURST: '30',
      INGEST_WORKERS: String(BENCH_WORKERS),
    };
    const config = testConfig(ctx, serverEnv);
    const app = await spawnApiCluster(ctx, serverEnv);
    ctx.log(`API running as ${BENCH_WORKERS} worker processes`);
    const maxReadingsPerMessage = Math.min(config.ingest.maxReadingsPerMessage, config.ingest.rateBurst);
    try {
      const token = await LiveDashboardClient.issueToken(app.url, ctx.pool, registry.wardIds);
      const warmUp = await runDevices(ctx, app, registry, token, {
        label: 'warm-up',
        seconds: BENCH_WARMUP_SECONDS,
        readingsPerSecond: 1,
        maxReadingsPerMessage,
      });
      const sustainable = await runDevices(ctx, app, registry, token, {
        label: 'sustainable',
        seconds: BENCH_SECONDS,
        readingsPerSecond: 1,
        maxReadingsPerMessage,
      });
      // Twice the rate the service is sized for, for as long; then the load drops and the devices resend
      // whatever they still hold.
      const overload = await runDevices(ctx, app, registry, token, {
        label: 'overload',
        seconds: BENCH_SECONDS,
        readingsPerSecond: OVERLOAD_FACTOR,
        maxReadingsPerMessage,
      });
      const duplicates = await duplicateReadings(ctx);
      const overloadRatio =
        Math.round(
          (overload.storedPerSecondUnderLoad / Math.max(1, sustainable.storedPerSecondUnderLoad)) * 100,
        ) / 100;
      const goals: Record<string, BenchResult> = {
        '1 Hz (warm-up and measured run): 0 readings lost': goal(
          warmUp.lost + sustainable.lost,
          warmUp.lost + sustainable.lost === 0,
        ),
        '1 Hz: ingest → dashboard p95 ≤ 250 ms': goal(sustainable.pushP95Ms, sustainable.pushP95Ms <= 250),
        '1 Hz: ingest → dashboard p99 ≤ 500 ms': goal(sustainable.pushP99Ms, sustainable.pushP99Ms <= 500),
        '2 Hz: stored readings/s ≥ 0.90 × the 1 Hz run (no collapse)': goal(
          overloadRatio,
          overloadRatio >= 0.9,
        ),
        '2 Hz, after the load drops: 0 readings lost': goal(overload.lost, overload.lost === 0),
        'every run: every reading stored once (rows per device and instant > 1)': goal(
          duplicates,
          duplicates === 0,
        ),
      };
      const met = Object.values(goals).filter((verdict) => verdict['met'] === true).length;
      return {
        devices: BENCH_DEVICES,
        seconds: BENCH_SECONDS,
        'API worker processes': BENCH_WORKERS,
        'pool max per worker': config.database.poolMax,
        'goals met': `${met}/${Object.keys(goals).length}`,
        goals,
        [`warm-up: ${BENCH_WARMUP_SECONDS} s at 1 Hz on the freshly started API (not in the goals)`]: {
          'readings lost': warmUp.lost,
          'ingest → dashboard p95 ms': warmUp.pushP95Ms,
          'ingest → dashboard p99 ms': warmUp.pushP99Ms,
          'ingest → dashboard p99 ms per 10 s of the run':
            warmUp.result['ingest → dashboard p99 ms per 10 s of the run'] ?? {},
        },
        '1 Hz (sustainable)': sustainable.result,
        [`${OVERLOAD_FACTOR} Hz (overload)`]: {
          ...overload.result,
          'stored readings/s ÷ the 1 Hz run': overloadRatio,
        },
        'duplicate readings': duplicates,
        // A worker that died (an unhandled rejection, say) was replaced by the primary: each is a bug to fix.
        'API workers replaced': app.output().split('starting another').length - 1,
      };
    } finally {
      await app.stop();
    }
  },
});
