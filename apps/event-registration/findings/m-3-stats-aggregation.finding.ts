import { poolStatementsDuring } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { JsEventStatsReader, QueryBuilderJsStatsReader } from '../katas/m-3-stats-in-js.flawed.js';
import type { EventStatsDto } from '../src/stats/event-stats.dto.js';
import { EventStatsReader } from '../src/stats/event-stats.reader.js';
import { bearer } from './support/seed.js';
import { seedStatsEvent, STATS_DEPARTMENTS } from './support/stats-fixture.js';
import { startTestApp } from './support/start-test-app.js';

const ATTENDEES = 2_000;

type Run = 'flawed' | 'remediated' | 'query builder, aggregated in JS';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: EventStatsReader, useClass: JsEventStatsReader }],
  remediated: [],
  'query builder, aggregated in JS': [{ provide: EventStatsReader, useClass: QueryBuilderJsStatsReader }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const { eventId, organiser } = await seedStatsEvent(ctx.pool, ATTENDEES);
  const testApp = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    const headers = await bearer(testApp.app, organiser);
    const { result, rows, count } = await poolStatementsDuring(
      `${testApp.config.database.applicationName}-api`,
      async () => {
        const response = await fetch(`${testApp.url}/events/${eventId}/stats`, { headers });
        const body = await response.text();
        if (response.status !== 200)
          throw new Error(`GET /events/:id/stats answered ${response.status}: ${body}`);
        return JSON.parse(body) as EventStatsDto;
      },
    );
    // The review's JS over every row is the reference: whatever answered, the numbers must be the same.
    const reference = await new JsEventStatsReader(testApp.app.get(DataSource)).read(eventId);
    if (JSON.stringify(result) !== JSON.stringify(reference)) {
      throw new Error(
        `${run}: stats differ from the JS reference:\n  http ${JSON.stringify(result)}\n  js   ${JSON.stringify(reference)}`,
      );
    }
    return {
      value: rows,
      details: {
        registrations: ATTENDEES,
        departments: STATS_DEPARTMENTS.length,
        'SQL statements': count,
        'numbers identical to the JS reference': 'yes',
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'events:M-3',
  title: 'Stats aggregated in application memory',
  explanation:
    'getEventStats pulled every registration (with its user) into Node and counted departments in a forEach: memory, CPU and transfer grow with the event. One GROUP BY department with FILTERed counts (plus one row for the event and its survey count) returns the same numbers in 1 + departments rows, whatever the event size. Measured through GET /events/:id/stats on the real app, counting the rows the API pools received from Postgres (however the statements were built: raw SQL, query builder or repository); every run checks the response equals the JS aggregation of the same rows.',
  fix: ['src/stats/event-stats.queries.ts', 'src/stats/event-stats.reader.ts', 'src/stats/stats.service.ts'],
  difficulty: 1,
  hints: [
    'Count the rows Postgres sends for one stats request: it grows with the event.',
    'The database can count: let it return one row per department instead of one per registration.',
    'The technique: GROUP BY department with count(*) FILTER (WHERE …) for each status, in one statement.',
  ],
  seam: 'EventStatsReader (Nest provider, behind StatsService and its cache) ← katas/m-3-stats-in-js.flawed.ts JsEventStatsReader',
  flawsPutBack: {
    'query builder, aggregated in JS':
      'EventStatsReader ← QueryBuilderJsStatsReader: every registration with its department through a TypeORM query builder, counted in JS',
  },
  metric: { name: 'rows from Postgres for one GET /events/:id/stats', unit: 'rows', better: 'lower' },
  measure,
  flawed: (rows) => rows >= ATTENDEES,
  remediated: (rows) => rows <= STATS_DEPARTMENTS.length + 1,
  timeoutMs: 120_000,
});
