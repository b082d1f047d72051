import { startFauxqs } from 'fauxqs';
import { readArchive, retentionBoundary } from '@remedy/partitioning';
import { defineFinding, explainScans, type FindingContext, type Measurement } from '@remedy/testing';
import type pg from 'pg';
import {
  createUnpartitionedRegistrations,
  UNPARTITIONED_REGISTRATIONS,
} from '../katas/s-5-unpartitioned-registrations.flawed.js';
import { createArchiveStore } from '../src/retention/archive-store.factory.js';
import { PartitionMaintenanceService } from '../src/retention/partition-maintenance.service.js';
import { seedUsers, type SeededUser } from './support/seed.js';
import { testConfig } from './support/test-config.js';

const MONTHS_OF_HISTORY = 29;
const EVENTS_PER_MONTH = 3;
const REGISTRATIONS_PER_EVENT = 60;
const BUCKET = 'event-archive';

const RECENT_SQL = (table: string) =>
  `SELECT count(*) FROM ${table} WHERE event_starts_at >= $1 AND event_starts_at < $2`;

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

async function countOlderThan(pool: pg.Pool, table: string, boundary: Date): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE event_starts_at < $1`,
    [boundary],
  );
  return rows[0]?.n ?? 0;
}

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const now = new Date();
  await seedHistory(ctx.pool);
  if (variant === 'flawed') {
    await createUnpartitionedRegistrations(ctx.pool);
    await ctx.pool.query(
      `INSERT INTO ${UNPARTITIONED_REGISTRATIONS} (id, event_id, user_id, event_starts_at, status)
       SELECT id, event_id, user_id, event_starts_at, status FROM registrations`,
    );
    await ctx.pool.query(`ANALYZE ${UNPARTITIONED_REGISTRATIONS}`);
    const scan = await explainScans(ctx.pool, RECENT_SQL(UNPARTITIONED_REGISTRATIONS), thisMonth(now));
    // There is no retention step in the reviewed design: nothing to run before counting.
    const boundary = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 24, 1));
    return {
      value: scan.rowsExamined,
      details: {
        'tables scanned': scan.relations.length,
        'rows of events older than 24 months still stored': await countOlderThan(
          ctx.pool,
          UNPARTITIONED_REGISTRATIONS,
          boundary,
        ),
      },
    };
  }
  return measureRemediated(ctx, now);
}

async function measureRemediated(ctx: FindingContext, now: Date): Promise<Measurement> {
  await ctx.pool.query('ANALYZE registrations');
  const scan = await explainScans(ctx.pool, RECENT_SQL('registrations'), thisMonth(now));
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
    });
    const store = createArchiveStore(config.retention.archive);
    const service = new PartitionMaintenanceService(ctx.pool, config.retention, store, { now: () => now });
    const registrations = service.policies.find((policy) => policy.table === 'registrations')!;
    const boundary = retentionBoundary(registrations, now);
    const before = await countOlderThan(ctx.pool, 'registrations', boundary);
    const reports = await service.runOnce();
    const retired = reports.find((report) => report.table === 'public.registrations')!.retention.retired;
    let archivedRows = 0;
    for (const partition of retired) {
      for await (const _row of readArchive(store, partition.archiveKey!)) archivedRows += 1;
    }
    const left = await countOlderThan(ctx.pool, 'registrations', boundary);
    if (left !== 0 || archivedRows !== before) {
      throw new Error(`retention left ${left} old rows; archived ${archivedRows} of ${before}`);
    }
    return {
      value: scan.rowsExamined,
      details: {
        'partitions scanned': scan.relations.length,
        'partitions archived to S3 and dropped': retired.length,
        'rows archived and verified': archivedRows,
        'rows of events older than 24 months still stored': left,
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
    "With every registration ever made in one table, a query for this month's events reads the whole history and the table, its indexes, vacuum and backups grow without end. registrations and survey_responses are now partitioned by month of the event's start (premade 12 months ahead); a query bounded by event_starts_at reads one partition, and the worker's daily job detaches partitions of events older than 24 months, archives them as gzip CSV to S3, reads them back to verify, then drops them.",
  fix: [
    'src/migrations/1779000000000-create-event-platform-schema.ts',
    'src/retention/partition-policies.ts',
    'src/retention/partition-maintenance.service.ts',
    'src/retention/partition-maintenance.job.ts',
    '../../docs/adr/0005-partition-registrations-by-event-start.md',
  ],
  metric: { name: "rows read by a query for this month's registrations", unit: 'rows', better: 'lower' },
  measure,
  flawed: (rows) => rows >= MONTHS_OF_HISTORY * EVENTS_PER_MONTH * REGISTRATIONS_PER_EVENT,
  remediated: (rows) => rows <= EVENTS_PER_MONTH * REGISTRATIONS_PER_EVENT,
  timeoutMs: 120_000,
});
