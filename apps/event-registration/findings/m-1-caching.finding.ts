import { createPgPool, QueryCounter } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { readEventListing, readEventStats } from '../katas/m-1-uncached-reads.flawed.js';
import { EventQueriesService } from '../src/events/event-queries.service.js';
import { RegisterService } from '../src/registrations/register.service.js';
import { StatsService } from '../src/stats/stats.service.js';
import { seedEvents, seedRegistrations, seedUsers, type SeededUser } from './support/seed.js';
import { startTestApp } from './support/start-test-app.js';

const READS = 1_000;
const LIST_FILTER = {
  status: 'published',
  organiserId: null,
  category: 'seminar',
  from: null,
  to: null,
  cursor: null,
  limit: 20,
} as const;

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
  const events = await seedEvents(ctx.pool, organiser.id, 200);
  const eventId = events[0]!.id;
  const users = await seedUsers(ctx.pool, 101);
  await seedRegistrations(
    ctx.pool,
    eventId,
    users.slice(0, 100).map((user) => user.id),
  );
  const newcomer = users[100]!;

  if (variant === 'flawed') {
    // An instrumented pool only so QueryCounter can see the kata's statements.
    const pool = createPgPool({
      name: 'kata-m-1',
      connectionString: ctx.databaseUrl,
      max: 2,
      connectionTimeoutMillis: 2_000,
      statementTimeoutMs: 5_000,
      idleInTransactionSessionTimeoutMs: 5_000,
    });
    try {
      const { count } = await QueryCounter.count(async () => {
        for (let read = 0; read < READS / 2; read += 1) {
          await readEventListing(pool, 'seminar', 'published');
          await readEventStats(pool, eventId);
        }
      });
      return { value: count, details: { reads: READS } };
    } finally {
      await pool.end();
    }
  }

  const testApp = await startTestApp(ctx);
  try {
    const list = testApp.app.get(EventQueriesService);
    const stats = testApp.app.get(StatsService);
    const { count } = await QueryCounter.count(async () => {
      for (let read = 0; read < READS / 2; read += 1) {
        await list.list(LIST_FILTER);
        await stats.forOrganiser(eventId, organiser.id);
      }
    });
    const before = (await stats.forOrganiser(eventId, organiser.id)).registered;
    await testApp.app.get(RegisterService).register(eventId, newcomer.id);
    const after = (await stats.forOrganiser(eventId, organiser.id)).registered;
    if (after !== before + 1) {
      throw new Error(
        `stale stats after a registration: registered ${before} → ${after}, expected ${before + 1}`,
      );
    }
    return { value: count, details: { reads: READS, 'stale reads after a registration': 0 } };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:M-1',
  title: 'No caching of event listings and stats',
  explanation:
    'Listings and dashboard stats are read far more often than they change, yet every read went to Postgres. The remedy reads both through Redis: list pages under a version key that every event write bumps, stats per event under a per-event version that every registration, check-in and survey write bumps after its commit. 1,000 reads cost the first miss of each (1 list query, 2 stats queries); a registration is visible in the very next stats read, because a bumped version can never be refilled from a read that started before it.',
  fix: ['src/cache/read-through-cache.ts', 'src/events/event-list.cache.ts', 'src/stats/stats.cache.ts'],
  metric: { name: 'SQL statements for 1,000 list/stats reads', unit: 'queries', better: 'lower' },
  measure,
  flawed: (queries) => queries >= READS,
  remediated: (queries) => queries <= 5,
  timeoutMs: 120_000,
});
