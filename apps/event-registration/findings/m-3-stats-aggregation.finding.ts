import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { getEventStats, type JsEventStats } from '../katas/m-3-stats-in-js.flawed.js';
import { computeEventStats } from '../src/stats/event-stats.queries.js';
import { countingManager } from './support/counting-manager.js';
import { seedStatsEvent, STATS_DEPARTMENTS } from './support/stats-fixture.js';
import { startTestApp } from './support/start-test-app.js';

const ATTENDEES = 2_000;

/** The numbers both designs must agree on, in one comparable shape. */
function comparable(stats: JsEventStats): string {
  const departments = Object.entries(stats.byDepartment).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify({ ...stats, byDepartment: departments });
}

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const { eventId } = await seedStatsEvent(ctx.pool, ATTENDEES);
  const reference = await getEventStats(ctx.pool, eventId);
  if (variant === 'flawed') {
    return {
      value: reference.rowsTransferred,
      details: { registrations: ATTENDEES, departments: STATS_DEPARTMENTS.length },
    };
  }
  const testApp = await startTestApp(ctx);
  try {
    const counting = countingManager(testApp.app.get(DataSource));
    const stats = await computeEventStats(counting.manager, eventId);
    if (!stats) throw new Error('the seeded event has no stats');
    const sql: JsEventStats = {
      total: stats.total,
      registered: stats.registered,
      checkedIn: stats.checkedIn,
      cancelled: stats.cancelled,
      waitlisted: stats.waitlisted,
      surveyResponses: stats.surveyResponses,
      byDepartment: Object.fromEntries(stats.byDepartment.map((row) => [row.department, row.registrations])),
    };
    if (comparable(sql) !== comparable(reference.stats)) {
      throw new Error(
        `SQL and JS stats differ:\n  sql ${comparable(sql)}\n  js  ${comparable(reference.stats)}`,
      );
    }
    return {
      value: counting.rows(),
      details: {
        registrations: ATTENDEES,
        'numbers identical to the JS kata': 'yes',
        checkedIn: stats.checkedIn,
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
    'getEventStats pulled every registration (with its user) into Node and counted departments in a forEach: memory, CPU and transfer grow with the event. One GROUP BY department with FILTERed counts (plus one row for the event and its survey count) returns the same numbers in 1 + departments rows, whatever the event size; the measurement checks the numbers are identical to the kata.',
  fix: ['src/stats/event-stats.queries.ts', 'src/stats/stats.service.ts'],
  metric: { name: 'rows transferred to the app for one stats read', unit: 'rows', better: 'lower' },
  measure,
  flawed: (rows) => rows >= ATTENDEES,
  remediated: (rows) => rows <= STATS_DEPARTMENTS.length + 1,
  timeoutMs: 120_000,
});
