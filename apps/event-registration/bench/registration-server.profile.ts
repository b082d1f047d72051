// `npm run profile:registration [-- rounds]` (in apps/event-registration): CPU profile of the API's thread while
// it serves registration rushes, written to reports/profiles/ and summarised by package and function.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { createPgPool } from '@remedy/pooling';
import {
  cpuSecondsOfMainThread,
  cpuSecondsOfProcesses,
  createIsolatedContext,
  formatCpuProfileSummary,
  startTestServers,
  summarizeCpuProfile,
  type CpuProfile,
} from '@remedy/testing';
import { accessTokensFor } from '../findings/support/access-tokens.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedAttendees, seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { CallerThread } from './caller-thread.js';
import { RAW_REGISTRATION_SQL } from './raw-registration.sql.js';

/* The bench's shape (registration-capacity.bench.ts): 500 callers at once on a fresh 100-seat event, pool 20. */
const CALLERS = 500;
const SEATS = 100;
const POOL_MAX = 20;
const WARM_UP_ROUNDS = 5;
const rounds = Number(process.argv[2] ?? 20);

interface CpuSpent {
  calls: number;
  seconds: number;
  processMicros: number;
  mainThreadMicros: number;
  postgresMicros: number;
}

const root = new URL('../../..', import.meta.url).pathname;
const servers = await startTestServers({ postgresFallbacks: ['embedded', 'container'] });
const ctx = await createIsolatedContext(eventRegistrationHarness, { log: (line) => console.log(line) });
const testApp = await startTestApp(ctx, { DB_POOL_MAX: String(POOL_MAX) });
// Callers on their own thread, as in the bench: the profile is of the API's thread only.
const callers = new CallerThread(testApp.url);
const rawPool = createPgPool({
  name: 'profile-raw',
  connectionString: ctx.databaseUrl,
  max: POOL_MAX,
  connectionTimeoutMillis: 10_000,
  statementTimeoutMs: 10_000,
  idleInTransactionSessionTimeoutMs: 10_000,
});
/* The Postgres backends serving this context's database (the API's pool and the raw pool): their CPU is the
   other half of a registration's cost on a machine where the database shares the cores. */
const backends = async (): Promise<number[]> => {
  const { rows } = await ctx.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return rows.map((row) => row.pid);
};
/* Process CPU (API thread + callers' thread) and Postgres backend CPU of `run`, in µs. */
const measure = async (spent: CpuSpent, calls: number, run: () => Promise<void>): Promise<void> => {
  const pids = await backends();
  const postgresBefore = cpuSecondsOfProcesses(pids);
  const cpuBefore = process.cpuUsage();
  const mainThreadBefore = cpuSecondsOfMainThread();
  const started = performance.now();
  await run();
  spent.seconds += (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  spent.processMicros += cpu.user + cpu.system;
  spent.mainThreadMicros += (cpuSecondsOfMainThread() - mainThreadBefore) * 1e6;
  spent.postgresMicros += (cpuSecondsOfProcesses(pids) - postgresBefore) * 1e6;
  spent.calls += calls;
};
const perCall = (spent: CpuSpent): string =>
  `${Math.round(spent.calls / spent.seconds)} calls/s; CPU per call: process ${(spent.processMicros / spent.calls).toFixed(0)} µs ` +
  `(main thread ${(spent.mainThreadMicros / spent.calls).toFixed(0)} µs), ` +
  `Postgres ${(spent.postgresMicros / spent.calls).toFixed(0)} µs, ` +
  `total ${((spent.processMicros + spent.postgresMicros) / spent.calls).toFixed(0)} µs`;
try {
  const organiserId = await seedOrganiser(ctx.pool, 'profile-organiser@example.com');
  const tokens = await accessTokensFor(testApp, await seedAttendees(ctx.pool, CALLERS, 'profile'));
  const users = await seedAttendees(ctx.pool, CALLERS, 'profile-raw');
  const rush = async (spent?: CpuSpent): Promise<void> => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: SEATS });
    const send = async (): Promise<void> => {
      const { statuses } = await callers.send(event.id, tokens);
      if (statuses.get(201) !== CALLERS) throw new Error(`a rush got ${JSON.stringify([...statuses])}`);
    };
    await (spent ? measure(spent, CALLERS, send) : send());
  };
  const rawRush = async (spent: CpuSpent): Promise<void> => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: SEATS });
    await measure(spent, CALLERS, async () => {
      await Promise.all(users.map((user) => rawPool.query(RAW_REGISTRATION_SQL, [event.id, user])));
    });
  };
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) await rush();

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const profiled: CpuSpent = {
    calls: 0,
    seconds: 0,
    processMicros: 0,
    mainThreadMicros: 0,
    postgresMicros: 0,
  };
  for (let round = 0; round < rounds; round += 1) await rush(profiled);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();

  const dir = join(root, 'reports', 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `registration-server-${new Date().toISOString().replaceAll(':', '-')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const summary = summarizeCpuProfile(profile as CpuProfile);
  console.log(`${profiled.calls} registrations in ${profiled.seconds.toFixed(1)} s, profiled`);
  // CPU time is what a busy machine disturbs least: throughput there depends on who else runs.
  console.log(
    `CPU per registration: API thread busy ${((summary.busyMs * 1000) / profiled.calls).toFixed(0)} µs ` +
      `(sampled); process (main thread: the API) and Postgres: ${perCall(profiled)}`,
  );
  console.log(formatCpuProfileSummary(summary, 20));
  console.log(`profile: ${file} (open in Chrome DevTools › Performance, or speedscope)`);

  // The bench's ratio, in CPU: the raw statement from this thread against HTTP rushes, interleaved so that
  // both see the same machine. When the cores are the limit, raw CPU / HTTP CPU bounds the calls/s ratio.
  const raw: CpuSpent = { calls: 0, seconds: 0, processMicros: 0, mainThreadMicros: 0, postgresMicros: 0 };
  const http: CpuSpent = { calls: 0, seconds: 0, processMicros: 0, mainThreadMicros: 0, postgresMicros: 0 };
  for (let round = 0; round < rounds; round += 1) {
    await rawRush(raw);
    await rush(http);
  }
  console.log(`raw statement, ${raw.calls} calls: ${perCall(raw)}`);
  console.log(`HTTP, ${http.calls} registrations: ${perCall(http)}`);
  const total = (spent: CpuSpent): number => (spent.processMicros + spent.postgresMicros) / spent.calls;
  console.log(
    `HTTP / raw: ${(http.calls / http.seconds / (raw.calls / raw.seconds)).toFixed(2)} calls/s; ` +
      `raw CPU / HTTP CPU per call ${(total(raw) / total(http)).toFixed(2)}`,
  );
} finally {
  await callers.close();
  await rawPool.end();
  await testApp.close();
  await ctx.dispose();
  await servers.stop();
}
