import { startFauxqs } from 'fauxqs';
import { readArchive, type MaintenanceReport } from '@remedy/partitioning';
import { defineFinding, explainScans, type FindingContext, type Measurement } from '@remedy/testing';
import type pg from 'pg';
import {
  keepForever,
  useUnpartitionedRegistrations,
} from '../katas/s-5-unpartitioned-registrations.flawed.js';
import { createArchiveStore } from '../src/retention/archive-store.factory.js';
import { PartitionMaintenanceService } from '../src/retention/partition-maintenance.service.js';
import { seedUsers, type SeededUser } from './support/seed.js';
import { testConfig } from './support/test-config.js';

const MONTHS_OF_HISTORY = 29;
const EVENTS_PER_MONTH = 3;
const REGISTRATIONS_PER_EVENT = 60;
const BUCKET = 'event-archive';

/** This month's registrations, bounded by the partition key: the planner prunes to one partition. */
const RECENT_SQL = `SELECT count(*) FROM registrations WHERE event_starts_at >= $1 AND event_starts_at < $2`;
/** The same question with the partition key inside an expression: no pruning, every partition is read. */
const RECENT_SQL_WITHOUT_KEY = `SELECT count(*) FROM registrations
  WHERE date_trunc('month', event_starts_at, 'UTC') >= $1 AND date_trunc('month', event_starts_at, 'UTC') < $2`;
/** The window the review's data must be kept for: older events' rows should be gone from Postgres. */
const HOT_MONTHS = 24;

type Flaw = 'retention that never drops' | 'query without the partition key';
type Run = 'flawed' | 'remediated' | Flaw;

/** Three events a month for 29 months back and one ahead, 60 registrations each. */
async function seedHistory(pool: pg.Pool): Promise<void> {
  const [organiser] = (await seedUsers(pool, 1, { role: 'organiser' })) as [SeededUser];
  const attendees = await seedUsers(pool, REGISTRATIONS_PER_EVENT);
  await pool.query(
    `WITH new_events AS (
       INSERT INTO events (organiser_id, title, category, status, start_datetime, end_datetime, capacity, remaining_capacity)
       SELECT $1, 'Event ' || m || '-' || k, 'seminar', 'published',
              date_trunc('month', now()) + m * interval '1 month' + k * interval '9 days' + interval '10 hours',
              date_trunc('month', now()) + m * interval '1 month' + k * interval '9 days' + interval '12 hours', 100, 40
         FROM generate_series(-$2::int, 1) AS m CROSS JOIN generate_series(0, $3::int - 1) AS k
       RETURNING id, start_datetime)
     INSERT INTO registrations (event_id, user_id, event_starts_at, status)
     SELECT e.id, u, e.start_datetime, 'registered' FROM new_events e CROSS JOIN unnest($4::uuid[]) AS u`,
    [organiser.id, MONTHS_OF_HISTORY, EVENTS_PER_MONTH, attendees.map((user) => user.id)],
  );
}

function thisMonth(now: Date): [Date, Date] {
  return [
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  ];
}

async function countOlderThan(pool: pg.Pool, boundary: Date): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM registrations WHERE event_starts_at < $1`,
    [boundary],
  );
  return rows[0]?.n ?? 0;
}

interface Lifecycle {
  runOnce(): Promise<MaintenanceReport[] | []>;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const now = new Date();
  if (run === 'flawed') await useUnpartitionedRegistrations(ctx.pool);
  await seedHistory(ctx.pool);
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  try {
    fauxqs.createBucket(BUCKET);
    const config = testConfig(ctx, {
      ARCHIVE_KIND: 's3',
      ARCHIVE_S3_BUCKET: BUCKET,
      ARCHIVE_S3_ENDPOINT: `http://127.0.0.1:${fauxqs.port}`,
      ARCHIVE_S3_REGION: 'us-east-1',
      ARCHIVE_S3_ACCESS_KEY_ID: 'test',
      ARCHIVE_S3_SECRET_ACCESS_KEY: 'test',
      ...(run === 'retention that never drops' ? { RETENTION_HOT_MONTHS: '240' } : {}),
    });
    const store = createArchiveStore(config.retention.archive);
    // The seam: the data lifecycle the worker's daily job runs (PartitionMaintenanceJob → runOnce).
    const lifecycle: Lifecycle =
      run === 'flawed'
        ? keepForever
        : new PartitionMaintenanceService(ctx.pool, config.retention, store, { now: () => now });
    const boundary = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - HOT_MONTHS, 1));
    const before = await countOlderThan(ctx.pool, boundary);
    const reports = await lifecycle.runOnce();
    const retired =
      reports.find((report) => report.table === 'public.registrations')?.retention.retired ?? [];
    let archivedRows = 0;
    for (const partition of retired) {
      for await (const _row of readArchive(store, partition.archiveKey!)) archivedRows += 1;
    }
    const left = await countOlderThan(ctx.pool, boundary);
    await ctx.pool.query('ANALYZE registrations');
    const sql = run === 'query without the partition key' ? RECENT_SQL_WITHOUT_KEY : RECENT_SQL;
    const scan = await explainScans(ctx.pool, sql, thisMonth(now));
    return {
      value: scan.rowsExamined + left,
      details: {
        "rows read by this month's query": scan.rowsExamined,
        'tables or partitions it read': scan.relations.length,
        [`rows of events older than ${HOT_MONTHS} months before maintenance`]: before,
        'partitions archived to S3 and dropped': retired.length,
        'rows archived and verified': archivedRows,
        [`rows of events older than ${HOT_MONTHS} months still stored`]: left,
      },
    };
  } finally {
    await fauxqs.stop();
  }
}

export default defineFinding({
  id: 'events:S-5',
  title: 'Registrations and survey responses kept forever in one growing table',
  explanation:
    "With every registration ever made in one table, a query for this month's events reads the whole history and the table, its indexes, vacuum and backups grow without end. registrations and survey_responses are now partitioned by month of the event's start (premade 12 months ahead); a query bounded by event_starts_at reads one partition, and the worker's daily job detaches partitions of events older than 24 months, archives them as gzip CSV to S3, reads them back to verify, then drops them. The proof seeds 30 months of history, runs the data lifecycle once, and adds the rows this month's query reads (EXPLAIN ANALYZE) to the rows of events older than 24 months still stored.",
  fix: [
    'src/migrations/1779000000000-create-event-platform-schema.ts',
    'src/retention/partition-policies.ts',
    'src/retention/partition-maintenance.service.ts',
    'src/retention/partition-maintenance.job.ts',
    '../../docs/adr/0005-partition-registrations-by-event-start.md',
  ],
  difficulty: 3,
  hints: [
    "This month's query reads every registration ever made. How could the database skip old ones without looking at them?",
    "Split the table by the event's start time so a query bounded by that time touches one piece.",
    'With monthly partitions, old months can be detached, archived and dropped whole instead of DELETEd row by row.',
    'The techniques: range partitioning by month (event_starts_at) with partition pruning, and a retention job that detaches, archives to S3, verifies and drops.',
  ],
  seam: "the registrations table of the migration set and the data lifecycle the worker's maintenance job runs (PartitionMaintenanceService.runOnce) ← katas/s-5-unpartitioned-registrations.flawed.ts (one unpartitioned table in place of the partitioned one, and keepForever: no maintenance); the seed, the month query and the counts are the same SQL in every run",
  flawsPutBack: {
    'retention that never drops':
      'RETENTION_HOT_MONTHS=240: the maintenance still premakes partitions but never retires one',
    'query without the partition key':
      "this month's query with event_starts_at inside date_trunc(), which the planner cannot prune on",
  },
  metric: {
    name: `rows read by a query for this month's registrations + rows kept past ${HOT_MONTHS} months`,
    unit: 'rows',
    better: 'lower',
  },
  measure: (run, ctx) => measure(run, ctx),
  flawed: (rows) => rows >= MONTHS_OF_HISTORY * EVENTS_PER_MONTH * REGISTRATIONS_PER_EVENT,
  remediated: (rows) => rows <= EVENTS_PER_MONTH * REGISTRATIONS_PER_EVENT,
  timeoutMs: 120_000,
});
