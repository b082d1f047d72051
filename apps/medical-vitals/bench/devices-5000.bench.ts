import { dataSourcePools } from '@remedy/pooling';
import { defineBench, waitUntil } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { LiveGateway } from '../src/dashboards/live/live.gateway.js';
import { LiveDashboardClient } from '../findings/live-support/live-dashboard-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { BENCH_DEVICES, BENCH_SECONDS, percentile } from './support/bench-settings.js';
import { BenchChild } from './support/child-process.js';
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
    // The server runs in this process. Count rejections nobody handled instead of dying on the first one, and
    // report them: each is a bug to fix (in production it would take the instance down).
    const unhandled: string[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(String(reason));
    };
    process.on('unhandledRejection', onUnhandled);
    const app = await startTestApp(ctx, { LIVE_MAX_CONNECTIONS: '100', DEVICE_RATE_BURST: '30' });
    const children: Array<BenchChild<unknown>> = [];
    let sampler: NodeJS.Timeout | undefined;
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
          maxReadingsPerMessage: Math.min(
            app.config.ingest.maxReadingsPerMessage,
            app.config.ingest.rateBurst,
          ),
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

      const pools = dataSourcePools(app.app.get(DataSource));
      let maxWaiting = 0;
      sampler = setInterval(() => {
        for (const pool of pools) maxWaiting = Math.max(maxWaiting, pool.waitingCount);
      }, 100);
      const liveStats = app.app.get(LiveGateway).stats();
      const liveBefore = liveStats.sent + liveStats.coalesced + liveStats.dropped;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      progress = setInterval(
        () => ctx.log(`  … ${Math.round((performance.now() - started) / 1000)} s`),
        10_000,
      );
      for (const swarm of swarms) swarm.send({ type: 'go', startAt: Date.now() + 500 });
      const results = await Promise.all(swarms.map((swarm) => swarm.result));
      const wallSeconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      clearInterval(sampler);
      clearInterval(progress);
      // Let the push path hand the last stored batches to the dashboards before they stop counting.
      const { rows: storedRows } = await ctx.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM vital_data',
      );
      const gateway = app.app.get(LiveGateway);
      await waitUntil(
        'the live push to catch up with the stored readings',
        () => {
          const stats = gateway.stats();
          return stats.sent + stats.coalesced + stats.dropped - liveBefore >= (storedRows[0]?.n ?? 0);
        },
        30_000,
      ).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
      dashboards.send({ type: 'stop' });
      const pushed = await dashboards.result;

      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      const sample = (name: string): number =>
        metrics
          .split('\n')
          .filter((line) => line.startsWith(name))
          .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
      const flushes = sample('vitals_write_flush_duration_seconds_count');
      const sent = results.reduce((sum, r) => sum + r.sent, 0);
      const acked = results.reduce((sum, r) => sum + r.acked, 0);
      const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vital_data');
      const stored = rows[0]?.n ?? 0;
      const serverCpuSeconds = (cpu.user + cpu.system) / 1e6;
      const clientCpuSeconds = results.reduce((sum, r) => sum + r.cpuSeconds, 0);
      const result = {
        devices: BENCH_DEVICES,
        seconds: BENCH_SECONDS,
        'readings sent': sent,
        'readings stored': stored,
        'readings lost': sent - stored,
        'readings acked': acked,
        'readings/s stored': Math.round(stored / wallSeconds),
        'throttled replies (resent by the devices)': results.reduce((sum, r) => sum + r.throttled, 0),
        'readings resent': results.reduce((sum, r) => sum + r.resent, 0),
        'error replies': results.reduce((sum, r) => sum + r.errors, 0),
        'unexpected device closes': results.reduce((sum, r) => sum + r.unexpectedCloses, 0),
        'dashboard readings received': pushed.readings,
        'coalesced for slow dashboards': app.app.get(LiveGateway).stats().coalesced,
        'ingest → dashboard p50 ms': percentile(pushed.latenciesMs, 50),
        'ingest → dashboard p95 ms': percentile(pushed.latenciesMs, 95),
        'ingest → dashboard p99 ms': percentile(pushed.latenciesMs, 99),
        'server CPU (% of one core)': Math.round((serverCpuSeconds / wallSeconds) * 100),
        'device processes CPU (% of one core)': Math.round((clientCpuSeconds / wallSeconds) * 100),
        flushes,
        'flush mean ms': Math.round(
          (sample('vitals_write_flush_duration_seconds_sum') * 1000) / Math.max(1, flushes),
        ),
        'batch mean rows': Math.round(
          sample('vitals_write_batch_rows_sum') / Math.max(1, sample('vitals_write_batch_rows_count')),
        ),
        'pool max per instance': app.config.database.poolMax,
        'pool waiting requests (max sampled)': maxWaiting,
        'server unhandled rejections': unhandled.length,
        ...(unhandled.length > 0 ? { 'first unhandled rejection': unhandled[0] as string } : {}),
      };
      ctx.log(
        `sent ${sent}, stored ${stored}, lost ${sent - stored}; push p95 ${result['ingest → dashboard p95 ms']} ms; server CPU ${result['server CPU (% of one core)']} %`,
      );
      return result;
    } finally {
      clearInterval(sampler);
      clearInterval(progress);
      for (const child of children) child.kill();
      await app.close();
      process.off('unhandledRejection', onUnhandled);
    }
  },
});
