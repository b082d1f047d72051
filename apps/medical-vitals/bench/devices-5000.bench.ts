import { defineBench } from '@remedy/testing';
import { LiveDashboardClient } from '../findings/live-support/live-dashboard-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { testConfig } from '../findings/support/start-test-app.js';
import { spawnApiCluster } from './support/api-cluster-process.js';
import { BENCH_DEVICES, BENCH_SECONDS, BENCH_WORKERS, percentile } from './support/bench-settings.js';
import { BenchChild } from './support/child-process.js';
import { cpuSecondsOf } from './support/process-cpu.js';
import type { DashboardSwarmJob, DashboardSwarmResult } from './support/dashboard-swarm.child.js';
import { DeviceSwarms } from './support/device-swarms.js';

const WARDS = 50;
const DASHBOARDS = 10;

export default defineBench({
  name: 'medical-vitals: 5,000 devices × 1 Hz over WebSocket (lost readings, ingest → dashboard latency, CPU)',
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
    const children: Array<{ kill(): void }> = [];
    let progress: NodeJS.Timeout | undefined;
    try {
      const token = await LiveDashboardClient.issueToken(app.url, ctx.pool, registry.wardIds);
      const wardsPerDashboard = WARDS / DASHBOARDS;
      const dashboardJob: DashboardSwarmJob = {
        wsUrl: app.wsUrl,
        token,
        wardsByDashboard: Array.from({ length: DASHBOARDS }, (_, i) =>
          registry.wardIds.slice(i * wardsPerDashboard, (i + 1) * wardsPerDashboard),
        ),
      };
      const dashboards = new BenchChild<DashboardSwarmResult>(
        new URL('./support/dashboard-swarm.child.ts', import.meta.url),
        dashboardJob,
      );
      children.push(dashboards);
      const swarms = new DeviceSwarms({
        wsUrl: app.wsUrl,
        devices: registry.devices,
        seconds: BENCH_SECONDS,
        readingsPerSecond: 1,
        maxReadingsPerMessage: Math.min(config.ingest.maxReadingsPerMessage, config.ingest.rateBurst),
      });
      children.push(swarms);
      await Promise.all([dashboards.ready, swarms.ready]);
      ctx.log(
        `${BENCH_DEVICES} devices authenticated in ${swarms.processes} processes, ${DASHBOARDS} dashboards on ${WARDS} wards; running ${BENCH_SECONDS} s`,
      );

      const serverPids = app.pids();
      const cpuBefore = cpuSecondsOf(serverPids);
      const started = performance.now();
      progress = setInterval(
        () => ctx.log(`  … ${Math.round((performance.now() - started) / 1000)} s`),
        10_000,
      );
      swarms.start();
      const totals = await swarms.finished();
      const wallSeconds = (performance.now() - started) / 1000;
      const serverCpuSeconds = cpuSecondsOf(serverPids) - cpuBefore;
      clearInterval(progress);
      // Let the push path hand the last stored batches to the dashboards before they stop counting.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      dashboards.send({ type: 'stop' });
      const pushed = await dashboards.result;

      const sent = totals.sent;
      const acked = totals.acked;
      const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vital_data');
      const stored = rows[0]?.n ?? 0;
      const clientCpuSeconds = totals.cpuSeconds;
      const result = {
        devices: BENCH_DEVICES,
        seconds: BENCH_SECONDS,
        'API worker processes': BENCH_WORKERS,
        'readings sent': sent,
        'readings stored': stored,
        'readings lost': sent - stored,
        'readings acked': acked,
        'readings/s stored': Math.round(stored / wallSeconds),
        'throttled replies': totals.throttled,
        'readings resent': totals.resent,
        'error replies': totals.errors,
        'unexpected device closes': totals.unexpectedCloses,
        'dashboard readings received': pushed.readings,
        'ingest → dashboard p50 ms': percentile(pushed.latenciesMs, 50),
        'ingest → dashboard p95 ms': percentile(pushed.latenciesMs, 95),
        'ingest → dashboard p99 ms': percentile(pushed.latenciesMs, 99),
        'server CPU (% of one core, all processes)': Math.round((serverCpuSeconds / wallSeconds) * 100),
        'server CPU µs per stored reading': Math.round((serverCpuSeconds * 1e6) / Math.max(1, stored)),
        'device processes CPU (% of one core)': Math.round((clientCpuSeconds / wallSeconds) * 100),
        'pool max per worker': config.database.poolMax,
        // A worker that died (an unhandled rejection, say) was replaced by the primary: each is a bug to fix.
        'API workers replaced': app.output().split('starting another').length - 1,
      };
      ctx.log(
        `sent ${sent}, stored ${stored}, lost ${sent - stored}; push p95 ${result['ingest → dashboard p95 ms']} ms; server CPU ${result['server CPU µs per stored reading']} µs per reading`,
      );
      return result;
    } finally {
      clearInterval(progress);
      for (const child of children) child.kill();
      await app.stop();
    }
  },
});
