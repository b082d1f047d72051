import { MAX_PAGE_SIZE } from '@remedy/pagination';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { getEvents } from '../katas/s-1-unbounded-event-list.flawed.js';
import { getEventStats } from '../katas/m-3-stats-in-js.flawed.js';
import { computeEventStats } from '../src/stats/event-stats.queries.js';
import { countingManager } from './support/counting-manager.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from './support/seed.js';
import { seedStatsEvent } from './support/stats-fixture.js';
import { startTestApp } from './support/start-test-app.js';

const EVENTS = 10_000;
const ATTENDEES = 2_000;

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
  await seedEvents(ctx.pool, organiser.id, EVENTS);
  const { eventId } = await seedStatsEvent(ctx.pool, ATTENDEES);
  await ctx.pool.query('ANALYZE');
  ctx.log(`${variant}: seeded ${EVENTS} events and one event with ${ATTENDEES} registrations`);

  if (variant === 'flawed') {
    const events = await getEvents(ctx.pool, { status: 'published' });
    const stats = await getEventStats(ctx.pool, eventId);
    return {
      value: events.length,
      details: {
        'list response bytes': Buffer.byteLength(JSON.stringify(events)),
        'stats rows transferred': stats.rowsTransferred,
      },
    };
  }

  const testApp = await startTestApp(ctx);
  try {
    const response = await fetch(`${testApp.url}/events?status=published&limit=${MAX_PAGE_SIZE}`, {
      headers: await bearer(testApp.app, organiser),
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET /events answered ${response.status}: ${body}`);
    const page = JSON.parse(body) as { data: unknown[] };
    const counting = countingManager(testApp.app.get(DataSource));
    await computeEventStats(counting.manager, eventId);
    return {
      value: page.data.length,
      details: { 'list response bytes': Buffer.byteLength(body), 'stats rows transferred': counting.rows() },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:S-1',
  title: 'Unbounded event list; stats computed over every registration row',
  explanation:
    'GET /api/events returned every event matching its filters, so one request grew with the whole history: at 10,000 events it ships 10,000 rows (megabytes) through the app. The remedy pages the list by keyset (opaque cursor, default 20, at most 100 per page, an index range scan at any depth) and moves the stats aggregation into SQL, so the app receives one row per department instead of one per registration (see also events:M-3).',
  fix: [
    'src/events/event-queries.service.ts',
    'src/events/event-list.policy.ts',
    'src/events/event-page-query.dto.ts',
    'src/stats/event-stats.queries.ts',
  ],
  metric: { name: 'events returned by one list request', unit: 'rows', better: 'lower' },
  measure,
  flawed: (rows) => rows > MAX_PAGE_SIZE,
  remediated: (rows) => rows <= MAX_PAGE_SIZE,
  timeoutMs: 120_000,
});
