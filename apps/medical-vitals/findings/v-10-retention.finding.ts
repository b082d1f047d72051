import { S3Client } from '@aws-sdk/client-s3';
import { NestFactory } from '@nestjs/core';
import {
  archivePrefix,
  PartitionMaintainer,
  readArchive,
  retentionBoundary,
  S3ArchiveStore,
} from '@remedy/partitioning';
import {
  defineFinding,
  explainScans,
  type FindingContext,
  type Measurement,
  waitUntil,
} from '@remedy/testing';
import { startFauxqs } from 'fauxqs';
import { KATA_V10_TODAY_SQL, KATA_V10_SQL } from '../katas/v-10-no-retention.flawed.js';
import { vitalDataPolicy } from '../src/lifecycle/vital-data.policy.js';
import { WorkerModule } from '../src/worker.module.js';
import { seedRegistry } from './support/seed-registry.js';
import { testConfig } from './support/start-test-app.js';

// The production window is 90 days; 3 days runs the same code path on a week of data.
const HOT_DAYS = 3;
const HISTORY_DAYS = 8;
const READINGS_PER_HOUR = 10;
const BUCKET = 'vitals-archive';
const TODAY_SQL = `
SELECT count(*) FROM vital_data
 WHERE recorded_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AND recorded_at <= now()`;

function seedSql(table: string, timeColumn: string): string {
  return `
    INSERT INTO ${table} (patient_id, device_id, ${timeColumn}${table === 'vital_data' ? ', seq' : ''}, heart_rate)
    SELECT $1, $2, now() - g * (interval '1 hour' / $4)${table === 'vital_data' ? ', g' : ''}, 70
      FROM generate_series(0, $3 * 24 * $4 - 1) AS g`;
}

async function seed(ctx: FindingContext, table: string, timeColumn: string): Promise<void> {
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  await ctx.pool.query(seedSql(table, timeColumn), [
    device!.patientId,
    device!.id,
    HISTORY_DAYS,
    READINGS_PER_HOUR,
  ]);
  await ctx.pool.query(`ANALYZE ${table}`);
}

async function countOlderThan(
  ctx: FindingContext,
  table: string,
  column: string,
  boundary: Date,
): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${column} < $1`,
    [boundary],
  );
  return rows[0]!.n;
}

async function flawed(ctx: FindingContext, boundary: Date): Promise<Measurement> {
  await ctx.pool.query(KATA_V10_SQL);
  await seed(ctx, 'kata_v10_vital_data', 'timestamp');
  const plan = await explainScans(ctx.pool, KATA_V10_TODAY_SQL, []);
  return {
    value: await countOlderThan(ctx, 'kata_v10_vital_data', 'timestamp', boundary),
    details: { "today's query reads": `${plan.rowsExamined} rows (${plan.scans.join(', ')})` },
  };
}

async function remediated(ctx: FindingContext, boundary: Date): Promise<Measurement> {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  fauxqs.createBucket(BUCKET);
  const config = testConfig(ctx, {
    HOT_RETENTION_DAYS: String(HOT_DAYS),
    ARCHIVE_S3_BUCKET: BUCKET,
    ARCHIVE_S3_ENDPOINT: `http://127.0.0.1:${fauxqs.port}`,
    ARCHIVE_S3_REGION: 'us-east-1',
    ARCHIVE_S3_ACCESS_KEY_ID: 'test',
    ARCHIVE_S3_SECRET_ACCESS_KEY: 'test',
    ALERT_EVALUATOR_ENABLED: 'false',
  });
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const policy = vitalDataPolicy(config.lifecycle);
    await new PartitionMaintainer(ctx.pool).ensurePartitions(policy, {
      from: new Date(Date.now() - HISTORY_DAYS * 86_400_000),
    });
    await seed(ctx, 'vital_data', 'recorded_at');
    const expired = await countOlderThan(ctx, 'vital_data', 'recorded_at', boundary);

    // The worker process as deployed: its scheduled BullMQ job runs one pass at start-up.
    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: false,
    });
    try {
      await waitUntil(
        'the retention pass to retire every expired partition',
        async () => {
          const { rows } = await ctx.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_class
              WHERE relkind = 'r' AND relname ~ '^vital_data_p[0-9]{8}$' AND to_date(right(relname, 8), 'YYYYMMDD') < $1::date`,
            [boundary],
          );
          return rows[0]!.n === 0;
        },
        60_000,
      );
    } finally {
      await worker.close();
    }
    const store = new S3ArchiveStore({ client, bucket: BUCKET, keyPrefix: 'vitals/' });
    const keys = await store.list(archivePrefix(policy));
    let archived = 0;
    for (const key of keys) for await (const _row of readArchive(store, key)) archived += 1;
    if (archived !== expired)
      throw new Error(`${expired} rows expired but ${archived} were read back from the archive`);
    const plan = await explainScans(ctx.pool, TODAY_SQL, []);
    const partitions = new Set(plan.scans.map((scan) => scan.split(' on ')[1]));
    if (partitions.size !== 1)
      throw new Error(`a query for today should read one partition: ${plan.scans.join(', ')}`);
    return {
      value: await countOlderThan(ctx, 'vital_data', 'recorded_at', boundary),
      details: {
        'rows archived (gzip CSV on S3) and read back': archived,
        'archive objects': keys.length,
        "today's query reads": `${plan.rowsExamined} rows (${plan.scans.join(', ')})`,
      },
    };
  } finally {
    client.destroy();
    await fauxqs.stop();
  }
}

export default defineFinding({
  id: 'vitals:V-10',
  title: 'No retention, archival or purge',
  explanation:
    'At 432M readings a day, a table that keeps everything grows by terabytes a year, every time-range query and ' +
    'index maintenance gets slower, and the only way out is a DELETE that runs for hours. The remedy partitions ' +
    'vital_data by day, premakes a week ahead, and an hourly worker job detaches partitions past the 90-day hot ' +
    'window, archives them to S3 as gzip CSV, reads the archive back to verify it, and only then drops them; ' +
    'archives are purged after 7 years. Recent-data queries prune to the newest partition.',
  fix: [
    'src/lifecycle/vital-data.policy.ts',
    'src/lifecycle/partition-maintenance.service.ts',
    'src/worker.module.ts',
  ],
  metric: {
    name: `rows older than the hot window (${HOT_DAYS} days here) left in the database`,
    unit: 'rows',
    better: 'lower',
  },
  timeoutMs: 180_000,
  async measure(variant, ctx) {
    const policy = vitalDataPolicy(testConfig(ctx, { HOT_RETENTION_DAYS: String(HOT_DAYS) }).lifecycle);
    const boundary = retentionBoundary(policy, new Date());
    return variant === 'flawed' ? flawed(ctx, boundary) : remediated(ctx, boundary);
  },
  flawed: (rows) => rows > 0,
  remediated: (rows) => rows === 0,
});
