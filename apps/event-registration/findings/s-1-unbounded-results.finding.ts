import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { JsEventStatsReader } from '../katas/m-3-stats-in-js.flawed.js';
import { UnboundedEventQueries } from '../katas/s-1-unbounded-event-list.flawed.js';
import { EventQueriesService } from '../src/events/event-queries.service.js';
import { EVENT_LIST_PAGE_SIZES } from '../src/events/event-list.policy.js';
import { EventStatsReader } from '../src/stats/event-stats.reader.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from './support/seed.js';
import { seedStatsEvent } from './support/stats-fixture.js';
import { startTestApp } from './support/start-test-app.js';

const EVENTS = 10_000;
const ATTENDEES = 2_000;
/** What the remedy promises: at most 100 events a page, fetched as 100 + 1 rows (the +1 tells hasMore). */
const PAGE_CAP = 100;
const ABSURD_LIMIT = 100_000;

type Run = 'flawed' | 'remediated' | 'no default page size' | 'max page size of 100000';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [
    { provide: EventQueriesService, useClass: UnboundedEventQueries },
    { provide: EventStatsReader, useClass: JsEventStatsReader },
  ],
  remediated: [],
  'no default page size': [
    { provide: EVENT_LIST_PAGE_SIZES, useValue: { defaultLimit: ABSURD_LIMIT, maxLimit: ABSURD_LIMIT } },
  ],
  'max page size of 100000': [
    { provide: EVENT_LIST_PAGE_SIZES, useValue: { defaultLimit: 20, maxLimit: ABSURD_LIMIT } },
  ],
};

interface RequestRows {
  status: number;
  /** Rows the API's pg clients received while the request ran. */
  pgRows: number;
  /** Events in the response body (lists only). */
  bodyRows: number;
  bytes: number;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
  await seedEvents(ctx.pool, organiser.id, EVENTS);
  const { eventId, organiser: statsOwner } = await seedStatsEvent(ctx.pool, ATTENDEES);
  await ctx.pool.query('ANALYZE');
  ctx.log(`${run}: seeded ${EVENTS} events and one event with ${ATTENDEES} registrations`);

  const testApp = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    const asOrganiser = await bearer(testApp.app, organiser);
    const asStatsOwner = await bearer(testApp.app, statsOwner);
    const apiPools = `${testApp.config.database.applicationName}-api`;
    // One request at a time: the API pools' statements in a request's window are that request's.
    const request = async (path: string, headers: Record<string, string>): Promise<RequestRows> => {
      const { result, rows } = await poolStatementsDuring(apiPools, async () => {
        const response = await fetch(`${testApp.url}${path}`, { headers });
        return { status: response.status, body: await response.text() };
      });
      if (result.status !== 200 && result.status !== 400) {
        throw new Error(`GET ${path} answered ${result.status}: ${result.body}`);
      }
      const parsed = JSON.parse(result.body) as { data?: unknown[] };
      return {
        status: result.status,
        pgRows: rows,
        bodyRows: parsed.data?.length ?? 0,
        bytes: Buffer.byteLength(result.body),
      };
    };
    const noLimit = await request('/events?status=published', asOrganiser);
    const absurd = await request(`/events?status=published&limit=${ABSURD_LIMIT}`, asOrganiser);
    const stats = await request(`/events/${eventId}/stats`, asStatsOwner);
    const worst = Math.max(
      ...[noLimit, absurd, stats].map((measured) => Math.max(measured.pgRows, measured.bodyRows)),
    );
    return {
      value: worst,
      details: {
        'no limit: rows at pg / in body': `${noLimit.pgRows} / ${noLimit.bodyRows}`,
        'no limit: response bytes': noLimit.bytes,
        [`limit=${ABSURD_LIMIT}: status, rows at pg / in body`]: `${absurd.status}, ${absurd.pgRows} / ${absurd.bodyRows}`,
        'stats: rows at pg': stats.pgRows,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:S-1',
  title: 'Unbounded event list; stats computed over every registration row',
  explanation:
    'GET /api/events returned every event matching its filters, so one request grew with the whole history: at 10,000 events it ships 10,000 rows (megabytes) through the app. The remedy pages the list by keyset (opaque cursor, default 20, at most 100 per page, an index range scan at any depth; a larger limit is a 400) and moves the stats aggregation into SQL, so the app receives one row per department instead of one per registration (see also events:M-3). Measured through HTTP on the real app: a list request with no limit, one with limit=100000, and GET /events/:id/stats, each counting the rows the API pools received from Postgres and the rows in the response; the value is the largest.',
  fix: [
    'src/events/event-queries.service.ts',
    'src/events/event-list.policy.ts',
    'src/events/event-page-query.dto.ts',
    'src/stats/event-stats.queries.ts',
    'src/stats/event-stats.reader.ts',
  ],
  difficulty: 2,
  hints: [
    'How many rows does one request move when the table has 10,000 events? It should not depend on the table size.',
    'Give the list a default page size and a maximum the client cannot raise, and let SQL aggregate the stats instead of shipping every registration.',
    'Page by the sort key (start time, id) rather than OFFSET, and return a cursor to the next page; GROUP BY department for the stats.',
    'The techniques: keyset (cursor) pagination with a bounded LIMIT, and aggregation pushed down to SQL.',
  ],
  seam: 'EventQueriesService ← katas/s-1-unbounded-event-list.flawed.ts UnboundedEventQueries, EventStatsReader ← katas/m-3-stats-in-js.flawed.ts JsEventStatsReader (Nest providers); the EVENT_LIST_PAGE_SIZES provider',
  flawsPutBack: {
    'no default page size': `EVENT_LIST_PAGE_SIZES = { default ${ABSURD_LIMIT}, max ${ABSURD_LIMIT} }: a request without limit gets every event`,
    'max page size of 100000': `EVENT_LIST_PAGE_SIZES = { default 20, max ${ABSURD_LIMIT} }: the client picks the page size`,
  },
  metric: {
    name: 'most rows one request moved (at the pg client or in the response): list without limit, limit=100000, stats',
    unit: 'rows',
    better: 'lower',
  },
  measure,
  flawed: (rows) => rows > PAGE_CAP + 1,
  remediated: (rows) => rows <= PAGE_CAP + 1,
  timeoutMs: 120_000,
});
