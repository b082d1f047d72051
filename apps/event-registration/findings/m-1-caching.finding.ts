import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { NeverInvalidatedStatsCache, NoCache, WriteOnlyCache } from '../katas/m-1-uncached-reads.flawed.js';
import { ReadThroughCache } from '../src/cache/read-through-cache.js';
import { StatsCache } from '../src/stats/stats.cache.js';
import { bearer, seedEvents, seedRegistrations, seedUsers, type SeededUser } from './support/seed.js';
import { startTestApp } from './support/start-test-app.js';

/* Every repeated read counts in the flawed runs, so a few hundred show the flaw as plainly as thousands. */
const READS = 200;

type Run = 'flawed' | 'remediated' | 'cache never read' | 'invalidation missing';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: ReadThroughCache, useClass: NoCache }],
  remediated: [],
  'cache never read': [{ provide: ReadThroughCache, useClass: WriteOnlyCache }],
  'invalidation missing': [{ provide: StatsCache, useClass: NeverInvalidatedStatsCache }],
};

async function getJson<T>(url: string, headers: Record<string, string>, method = 'GET'): Promise<T> {
  const response = await fetch(url, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
  const body = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${body}`);
  return JSON.parse(body) as T;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
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

  const testApp = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    // Sessions are minted (and stored) before any read is counted.
    const asOrganiser = await bearer(testApp.app, organiser);
    const asNewcomer = await bearer(testApp.app, newcomer);
    const listUrl = `${testApp.url}/events?status=published&category=seminar&limit=20`;
    const statsUrl = `${testApp.url}/events/${eventId}/stats`;
    const apiPools = `${testApp.config.database.applicationName}-api`;

    // One request at a time, so the statements the API's pools finish in a request's window are its own.
    const seen = new Set<string>();
    let repeatedFromPostgres = 0;
    let statements = 0;
    for (let read = 0; read < READS; read += 1) {
      const url = read % 2 === 0 ? listUrl : statsUrl;
      const { count } = await poolStatementsDuring(apiPools, () => getJson(url, asOrganiser));
      statements += count;
      if (count > 0 && seen.has(url)) repeatedFromPostgres += 1;
      seen.add(url);
    }

    // A registration through the API, then the dashboard: it must show the new seat at once.
    type Stats = { registered: number };
    const before = (await getJson<Stats>(statsUrl, asOrganiser)).registered;
    await getJson(`${testApp.url}/events/${eventId}/registrations`, asNewcomer, 'POST');
    const after = (await getJson<Stats>(statsUrl, asOrganiser)).registered;
    const staleReads = after === before + 1 ? 0 : 1;
    ctx.log(`${run}: ${repeatedFromPostgres} repeated reads from Postgres, registered ${before} → ${after}`);
    return {
      value: repeatedFromPostgres + staleReads,
      details: {
        reads: READS,
        'SQL statements for the reads': statements,
        'repeated reads served by Postgres': repeatedFromPostgres,
        'stale stats reads after a registration': staleReads,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:M-1',
  title: 'No caching of event listings and stats',
  explanation:
    'Listings and dashboard stats are read far more often than they change, yet every read went to Postgres. The remedy reads both through Redis: list pages under a version key that every event write bumps, stats per event under a per-event version that every registration, check-in and survey write bumps after its commit. Measured through HTTP on the real app (GET /events and GET /events/:id/stats alternately, 200 reads, counting the statements the API pools finish in each request): after the first miss of each, no read reaches Postgres; and a registration made through the API is in the very next stats read, because a bumped version can never be refilled from a read that started before it. The value adds the two failures: repeated reads that reached Postgres, and stale reads after the registration.',
  fix: ['src/cache/read-through-cache.ts', 'src/events/event-list.cache.ts', 'src/stats/stats.cache.ts'],
  difficulty: 2,
  hints: [
    'The same list and stats are read hundreds of times between two changes, and each read is a query.',
    'Keep the answer in Redis and serve repeated reads from there; the hard part is knowing when it is stale.',
    'Instead of deleting keys after writes (a race with in-flight reads), put a version number in the key and bump it on every write.',
    'The technique: read-through caching with versioned keys (namespace invalidation by a version counter bumped after commit).',
  ],
  seam: 'ReadThroughCache (Nest provider, under EventListCache and StatsCache) ← katas/m-1-uncached-reads.flawed.ts NoCache',
  flawsPutBack: {
    'cache never read':
      'ReadThroughCache ← WriteOnlyCache: every entry stored under a per-request key, so none is ever read back',
    'invalidation missing':
      'StatsCache ← NeverInvalidatedStatsCache: the registration commits but never bumps the stats version',
  },
  metric: {
    name: `repeated reads served by Postgres + stale reads, of ${READS} list/stats reads and one after a registration`,
    unit: 'reads',
    better: 'lower',
  },
  measure,
  flawed: (reads) => reads >= READS / 2,
  remediated: (reads) => reads === 0,
  timeoutMs: 180_000,
});
