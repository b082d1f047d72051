// `npm run profile:ingest [-- devices seconds]` (in apps/medical-vitals): CPU profile of one API process while a
// device swarm records at 1 Hz (the devices-5000 bench's shape, smaller), written to reports/profiles/ and
// summarised by package and function, with the process's CPU time per stored reading.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import {
  createIsolatedContext,
  formatCpuProfileSummary,
  startTestServers,
  summarizeCpuProfile,
  type CpuProfile,
} from '@remedy/testing';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { DeviceSwarms } from './support/device-swarms.js';

const devices = Number(process.argv[2] ?? 1_000);
const seconds = Number(process.argv[3] ?? 20);

const root = new URL('../../..', import.meta.url).pathname;
const servers = await startTestServers({ postgresFallbacks: ['embedded', 'container'] });
const ctx = await createIsolatedContext(medicalVitalsHarness, { log: (line) => console.log(line) });
// The API in this process (one worker's share of the bench), the devices in child processes: the profile and
// the CPU time are the server's only.
const testApp = await startTestApp(ctx, { DEVICE_RATE_BURST: '30', LOG_LEVEL: 'warn' });
let swarms: DeviceSwarms | undefined;
try {
  const registry = await seedRegistry(ctx.pool, { wards: 10, patients: devices });
  swarms = new DeviceSwarms({
    wsUrl: testApp.wsUrl,
    devices: registry.devices,
    seconds,
    readingsPerSecond: 1,
    maxReadingsPerMessage: Math.min(
      testApp.config.ingest.maxReadingsPerMessage,
      testApp.config.ingest.rateBurst,
    ),
  });
  await swarms.ready;

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  swarms.start();
  const sent = await swarms.finished();
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();

  const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vital_data');
  const stored = rows[0]?.n ?? 0;
  const dir = join(root, 'reports', 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ingest-server-${new Date().toISOString().replaceAll(':', '-')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const summary = summarizeCpuProfile(profile as CpuProfile);
  console.log(
    `${devices} devices × 1 Hz × ${seconds} s: ${sent.sent} readings sent, ${stored} stored in ${wallSeconds.toFixed(1)} s; ` +
      `${sent.throttled} throttled, ${sent.resent} resent`,
  );
  // CPU time is what a busy machine disturbs least: wall time there depends on who else runs. The sampling
  // profiler itself adds to the process's time; compare runs of this script with one another, not with the bench.
  console.log(
    `CPU per stored reading: API thread busy ${((summary.busyMs * 1000) / stored).toFixed(0)} µs (sampled); ` +
      `process ${((cpu.user + cpu.system) / stored).toFixed(0)} µs (all its threads)`,
  );
  console.log(formatCpuProfileSummary(summary, 30));
  console.log(`profile: ${file} (open in Chrome DevTools › Performance, or speedscope)`);
} finally {
  swarms?.kill();
  await testApp.close();
  await ctx.dispose();
  await servers.stop();
}
