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
import type { DeviceSwarmJob, DeviceSwarmResult } from './support/device-swarm.child.js';

/** Devices per child process: well under the open-files limit (20,000) on each side of the loopback. */
const DEVICES_PER_CHILD = 1_250;
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
    const children: Array<BenchChild<unknown>> = [];
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
      const swarms: Array<BenchChild<DeviceSwarmResult>> = [];
      for (let start = 0; start < registry.devices.length; start += DEVICES_PER_CHILD) {
        const job: DeviceSwarmJob = {
          wsUrl: app.wsUrl,
          seconds: BENCH_SECONDS,
          maxReadingsPerMessage: Math.min(config.ingest.maxReadingsPerMessage, config.ingest.rateBurst),
          devices: registry.devices
            .slice(start, start + DEVICES_PER_CHILD)
            .map((device) => ({ id: device.id, token: device.token })),
        };
        const swarm = new BenchChild<DeviceSwarmResult>(
          new URL('./support/device-swarm.child.ts', import.meta.url),
          job,
        );
        swarms.push(swarm);
        children.push(swarm);
      }
      await Promise.all([dashboards.ready, ...swarms.map((swarm) => swarm.ready)]);
      ctx.log(
        `${BENCH_DEVICES} devices authenticated in ${swarms.length} processes, ${DASHBOARDS} dashboards on ${WARDS} wards; running ${BENCH_SECONDS} s`,
      );

      const serverPids = app.pids();
      const cpuBefore = cpuSecondsOf(serverPids);
      const started = performance.now();
      progress = setInterval(
        () => ctx.log(`  … ${Math.round((performance.now() - started) / 1000)} s`),
        10_000,
      );
      for (const swarm of swarms) swarm.send({ type: 'go', startAt: Date.now() + 500 });
      const results = await Promise.all(swarms.map((swarm) => swarm.result));
      const wallSeconds = (performance.now() - started) / 1000;
      const serverCpuSeconds = cpuSecondsOf(serverPids) - cpuBefore;
      clearInterval(progress);
      // Let the push path hand the last stored batches to the dashboards before they stop counting.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      dashboards.send({ type: 'stop' });
      const pushed = await dashboards.result;

      const sent = results.reduce((sum, r) => sum + r.sent, 0);
      const acked = results.reduce((sum, r) => sum + r.acked, 0);
      const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vital_data');
      const stored = rows[0]?.n ?? 0;
      const clientCpuSeconds = results.reduce((sum, r) => sum + r.cpuSeconds, 0);
      const result = {
        devices: BENCH_DEVICES,
        seconds: BENCH_SECONDS,
        'API worker processes': BENCH_WORKERS,
        'readings sent': sent,
        'readings stored': stored,
        'readings lost': sent - stored,
        'readings acked': acked,
        'readings/s stored': Math.round(stored / wallSeconds),
        'throttled replies': results.reduce((sum, r) => sum + r.throttled, 0),
        'readings resent': results.reduce((sum, r) => sum + r.resent, 0),
        'error replies': results.reduce((sum, r) => sum + r.errors, 0),
        'unexpected device closes': results.reduce((sum, r) => sum + r.unexpectedCloses, 0),
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
