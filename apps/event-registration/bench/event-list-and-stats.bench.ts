import { dataSourcePools } from '@remedy/pooling';
import { defineBench, httpLoad, waitUntil, type HttpLoadResult } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from '../findings/support/seed.js';
import { seedStatsEvent } from '../findings/support/stats-fixture.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const EVENTS = 10_000;
const ATTENDEES = 2_000;
const CONNECTIONS = 50;
const SECONDS = 5;

/**
 * GET /events (one page of 20 of 10,000 published events) and GET /events/:id/stats (an event with 2,000
 * registrations) under 50 concurrent clients, through the HTTP API, with the Redis caches on and off
 * (two app instances on the same database). httpLoad reports p50/p90/p99.
 */
export default defineBench({
  name: 'event-registration: event list and stats, cached vs uncached',
  harness: eventRegistrationHarness,
  async run(ctx) {
    const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
    await seedEvents(ctx.pool, organiser.id, EVENTS);
    const { eventId, organiser: statsOrganiser } = await seedStatsEvent(ctx.pool, ATTENDEES);
    await ctx.pool.query('VACUUM ANALYZE');
    ctx.log(`seeded ${EVENTS} events and one event with ${ATTENDEES} registrations`);

    const result: Record<string, number> = {};
    for (const cache of ['true', 'false'] as const) {
      const app: TestApp = await startTestApp(ctx, { CACHE_ENABLED: cache, DB_POOL_MAX: '10' });
      try {
        const label = cache === 'true' ? 'cached' : 'uncached';
        const list = await load(app, '/events?status=published', await bearer(app.app, organiser));
        const stats = await load(app, `/events/${eventId}/stats`, await bearer(app.app, statsOrganiser));
        ctx.log(`${label}: list p50 ${list.latencyMs.p50} ms, stats p50 ${stats.latencyMs.p50} ms`);
        Object.assign(result, summary(`list ${label}`, list), summary(`stats ${label}`, stats));
      } finally {
        await drained(app);
        await app.close();
      }
    }
    result['list uncached/cached p50 ratio'] = ratio(
      result['list uncached p50 ms'],
      result['list cached p50 ms'],
    );
    result['stats uncached/cached p50 ratio'] = ratio(
      result['stats uncached p50 ms'],
      result['stats cached p50 ms'],
    );
    return result;
  },
});

async function load(app: TestApp, path: string, headers: Record<string, string>): Promise<HttpLoadResult> {
  const result = await httpLoad({
    url: `${app.url}${path}`,
    connections: CONNECTIONS,
    durationSeconds: SECONDS,
    headers,
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${path}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  }
  return result;
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

function summary(name: string, result: HttpLoadResult): Record<string, number> {
  return {
    [`${name} req/s`]: Math.round(result.requestsPerSecond),
    [`${name} p50 ms`]: result.latencyMs.p50,
    [`${name} p90 ms`]: result.latencyMs.p90,
    [`${name} p99 ms`]: result.latencyMs.p99,
  };
}

function ratio(a: number | undefined, b: number | undefined): number {
  return a !== undefined && b !== undefined && b > 0 ? Math.round((a / b) * 100) / 100 : 0;
}
