import { poolStatementsDuring, type QueryEvent } from '@remedy/pooling';
import {
  defineFinding,
  explainScans,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import type { MigrationInterface } from 'typeorm';
import {
  ReviewedHistoryTable1799999999998,
  UnboundedPageHistoryService,
  UncappedWindowHistoryService,
  WholeHistoryService,
} from '../katas/c-1-unbounded-history.flawed.js';
import { HistoryService } from '../src/history/history.service.js';
import { ApiClient } from './support/api-client.js';
import { makeHistoryPartitions, seedHistory } from './support/history-seed.js';
import { migrateWith } from './support/migrate-with.js';
import { organiserWithLiveSession } from './support/session-fixtures.js';
import { startTestApp } from './support/start-test-app.js';

/**
 * A session with a long life, a daily stand-up translated for months: its history first covers the 30-day window
 * at 50 lines a day, then grows both ways history grows: the window's days twice as busy, and 60 older days (at
 * 100 lines a day) behind them, each with the daily partition the service made on that day.
 */
const WINDOW_DAYS = 30;
const OLDER_DAYS = 60;
const LINES_PER_DAY = 50;

type Run = 'flawed' | 'remediated' | 'no time bound' | 'no page cap';

const SCHEMA: Record<Run, (new () => MigrationInterface)[]> = {
  flawed: [ReviewedHistoryTable1799999999998],
  remediated: [],
  'no time bound': [],
  'no page cap': [],
};

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: HistoryService, useClass: WholeHistoryService }],
  remediated: [],
  'no time bound': [{ provide: HistoryService, useClass: UnboundedPageHistoryService }],
  'no page cap': [{ provide: HistoryService, useClass: UncappedWindowHistoryService }],
};

interface ReadCost {
  rowsAnswered: number;
  /** Rows the statement sent from PostgreSQL to the app: a page trimmed in the app still counts them all. */
  rowsFetched: number;
  bufferPages: number;
  relations: number;
}

/** The screen's first request, the newest page, and the plan of the statement the app ran for it. */
async function readNewestPage(
  ctx: FindingContext,
  api: ApiClient,
  appName: string,
  sessionId: string,
  token: string,
): Promise<ReadCost> {
  const { result, statements } = await poolStatementsDuring(`${appName}-api`, () =>
    api.expect<{ data: unknown[] }>(200, 'GET', `/sessions/${sessionId}/history?limit=100`, undefined, token),
  );
  const read = statements.find((statement: QueryEvent) => /FROM translation_history h/.test(statement.sql));
  if (!read) throw new Error('the history request ran no statement on translation_history');
  const plan = await explainScans(ctx.pool, read.sql, [...(read.values ?? [])]);
  return {
    rowsAnswered: result.data.length,
    rowsFetched: read.rows,
    bufferPages: plan.bufferPages,
    relations: plan.relations.length,
  };
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  await migrateWith(ctx, SCHEMA[run]);
  const testApp = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  try {
    const api = new ApiClient(testApp.url);
    const { organiser, session } = await organiserWithLiveSession(api, 'c1_organiser@example.com');
    const partitioned = SCHEMA[run].length === 0;
    if (partitioned) await makeHistoryPartitions(ctx.pool, WINDOW_DAYS);
    const seed = { organisationId: organiser.user.organisationId, sessionId: session.id };
    const read = () =>
      readNewestPage(ctx, api, testApp.config.database.applicationName, session.id, organiser.accessToken);

    const first = await seedHistory(ctx.pool, { ...seed, days: WINDOW_DAYS, perDay: LINES_PER_DAY });
    const before = await read();
    let rows = first;
    rows += await seedHistory(ctx.pool, { ...seed, days: WINDOW_DAYS, perDay: LINES_PER_DAY });
    if (partitioned) await makeHistoryPartitions(ctx.pool, WINDOW_DAYS + OLDER_DAYS);
    rows += await seedHistory(ctx.pool, {
      ...seed,
      fromDay: WINDOW_DAYS,
      days: OLDER_DAYS,
      perDay: 2 * LINES_PER_DAY,
    });
    const after = await read();

    // Two costs of one read that must not follow the history's size: the rows it fetches (the page cap) and the
    // tables it opens (pruning to the window). Buffer pages are shown, not judged: a busier day's partition index
    // gets a level deeper, which is the honest O(log n) of any index read.
    const growth = Math.max(after.rowsFetched / before.rowsFetched, after.relations / before.relations);
    ctx.log(
      `${run}: ${before.rowsAnswered} → ${after.rowsAnswered} rows answered, ` +
        `${before.bufferPages} → ${after.bufferPages} buffer pages, ${before.relations} → ${after.relations} relations`,
    );
    return {
      value: Number(growth.toFixed(2)),
      details: {
        'rows of history in the session': `${first} → ${rows}`,
        'rows fetched from PostgreSQL': `${before.rowsFetched} → ${after.rowsFetched}`,
        'rows answered': `${before.rowsAnswered} → ${after.rowsAnswered}`,
        'buffer pages touched': `${before.bufferPages} → ${after.bufferPages}`,
        'tables or partitions scanned': `${before.relations} → ${after.relations}`,
      },
    };
  } finally {
    await testApp.close();
  }
}

export default defineFinding({
  id: 'polyglot-a:C-1',
  alsoCovers: ['polyglot-b:C-2'],
  title: "Translation history grows without bound, and reading a session's history reads all of it",
  explanation:
    'The reviewed history is one table that keeps every translation forever and is read back whole: a session’s ' +
    'history answers every row it ever had, so the answer and the work behind it grow with the session’s age and ' +
    'with its activity, and old rows can only leave through a DELETE that bloats the table. The remedy partitions ' +
    'translation_history by day (made a week ahead), bounds every read to the 30-day hot window so the planner ' +
    'opens only the window’s partitions, answers one keyset page of at most 100, and retires each day past the ' +
    'window with a scheduled job (detach → gzip NDJSON archive → read back and verify → drop; ADR 0050). Measured ' +
    'through GET /sessions/:id/history: a session with 30 days of 50 lines, then its history grown sixfold (the ' +
    'window twice as busy, 60 older days at 100 lines, each with its own day partition); the value is how much the ' +
    'newest-page read grows, the larger of the rows its statement fetches and the tables it scans under EXPLAIN ' +
    'ANALYZE. Flawed: 1,500 → 9,000 rows fetched and answered (6×, 38 → 3,203 buffer pages). Remediated: 101 → 101 rows fetched (a page and the probe for the next) and 39 → 39 ' +
    'partitions (1×; buffer pages 80 → 177 as the busier days’ indexes get a level deeper).',
  fix: [
    'src/migrations/1791000002000-create-translation-history.ts',
    'src/history/history.policy.ts',
    'src/history/history.sql.ts',
    'src/history/history.service.ts',
    'src/history/history-retention.ts',
    'src/history/history-retention.job.ts',
  ],
  difficulty: 2,
  hints: [
    'Seed three months of history for one session and read its newest page: how many rows come back, and how many does the database read?',
    'The product keeps 30 days. What if each day were a table of its own, and the read said which days it wants?',
    'A page needs a LIMIT and a cursor; pruning needs the partition key bounded in the WHERE clause itself.',
    'The technique: range partitioning by time with partition pruning, keyset pagination, and detach-archive-drop retention.',
  ],
  seam: 'HistoryService (the Nest provider behind GET /sessions/:id/history) ← katas/c-1-unbounded-history.flawed.ts, on the review’s unpartitioned table (its migration applied after the app’s)',
  flawsPutBack: {
    'no time bound':
      'UnboundedPageHistoryService: the keyset page of 100 without translated_at ≥ the window’s start',
    'no page cap': 'UncappedWindowHistoryService: the 30-day bound kept, every row in it answered at once',
  },
  metric: {
    name: "growth of a newest-page read when the session's history grows sixfold (the larger of rows fetched, tables scanned)",
    unit: '×',
    better: 'lower',
  },
  measure,
  flawed: (growth) => growth >= 2,
  remediated: (growth) => growth <= 1.25,
  timeoutMs: 240_000,
});
