// `npm run profile:registration [-- rounds]` (in apps/event-registration): CPU profile of the API's thread while
// it serves registration rushes, written to reports/profiles/ and summarised by package and function.
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
import { accessTokensFor } from '../findings/support/access-tokens.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedAttendees, seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { CallerThread } from './caller-thread.js';

/* The bench's shape (registration-capacity.bench.ts): 500 callers at once on a fresh 100-seat event, pool 20. */
const CALLERS = 500;
const SEATS = 100;
const POOL_MAX = 20;
const WARM_UP_ROUNDS = 5;
const rounds = Number(process.argv[2] ?? 20);

const root = new URL('../../..', import.meta.url).pathname;
const servers = await startTestServers({ postgresFallbacks: ['embedded', 'container'] });
const ctx = await createIsolatedContext(eventRegistrationHarness, { log: (line) => console.log(line) });
const testApp = await startTestApp(ctx, { DB_POOL_MAX: String(POOL_MAX) });
// Callers on their own thread, as in the bench: the profile is of the API's thread only.
const callers = new CallerThread(testApp.url);
try {
  const organiserId = await seedOrganiser(ctx.pool, 'profile-organiser@example.com');
  const tokens = await accessTokensFor(testApp, await seedAttendees(ctx.pool, CALLERS, 'profile'));
  const rush = async (): Promise<void> => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: SEATS });
    const { statuses } = await callers.send(event.id, tokens);
    if (statuses.get(201) !== CALLERS) throw new Error(`a rush got ${JSON.stringify([...statuses])}`);
  };
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) await rush();

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let round = 0; round < rounds; round += 1) await rush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();

  const dir = join(root, 'reports', 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `registration-server-${new Date().toISOString().replaceAll(':', '-')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const summary = summarizeCpuProfile(profile as CpuProfile);
  const requests = rounds * CALLERS;
  console.log(`${requests} registrations in ${seconds.toFixed(1)} s: ${Math.round(requests / seconds)}/s`);
  // CPU time is what a busy machine disturbs least: throughput there depends on who else runs.
  console.log(
    `CPU per registration: API thread busy ${((summary.busyMs * 1000) / requests).toFixed(0)} µs (sampled); ` +
      `process ${((cpu.user + cpu.system) / requests).toFixed(0)} µs (API + callers' thread)`,
  );
  console.log(formatCpuProfileSummary(summary, 20));
  console.log(`profile: ${file} (open in Chrome DevTools › Performance, or speedscope)`);
} finally {
  await callers.close();
  await testApp.close();
  await ctx.dispose();
  await servers.stop();
}
