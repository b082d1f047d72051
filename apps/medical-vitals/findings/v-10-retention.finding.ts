import { S3Client } from '@aws-sdk/client-s3';
import {
  archivePrefix,
  PARTITION_MAINTENANCE_QUEUE,
  PartitionMaintainer,
  readArchive,
  retentionBoundary,
  S3ArchiveStore,
} from '@remedy/partitioning';
import { Queue } from 'bullmq';
import {
  compileWithPlugs,
  defineFinding,
  explainScans,
  type ProviderPlug,
  type FindingContext,
  type Measurement,
  waitUntil,
} from '@remedy/testing';
import { startFauxqs } from 'fauxqs';
import { NoRetention, RetentionWithoutArchive } from '../katas/v-10-no-retention.flawed.js';
import type { AppConfig, ConfigValues } from '../src/config.js';
import { PartitionMaintenanceService } from '../src/lifecycle/partition-maintenance.service.js';
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

const SEED_SQL = `
INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate)
SELECT $1, $2, now() - g * (interval '1 hour' / $4), g, 70
  FROM generate_series(0, $3 * 24 * $4 - 1) AS g`;

async function seed(ctx: FindingContext): Promise<void> {
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  await ctx.pool.query(SEED_SQL, [device!.patientId, device!.id, HISTORY_DAYS, READINGS_PER_HOUR]);
  await ctx.pool.query('ANALYZE vital_data');
}

async function countOlderThan(ctx: FindingContext, boundary: Date): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM vital_data WHERE recorded_at < $1',
    [boundary],
  );
  return rows[0]!.n;
}

const FLAWS = {
  'retention that never drops':
    'the worker runs with a 100-year hot window (HOT_RETENTION_DAYS=36500, archives kept 101 years): it premakes partitions and never retires one',
  'drops without archiving':
    'the worker retires expired partitions under a policy without an archive: detached and dropped, copied nowhere',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: PartitionMaintenanceService, useClass: NoRetention }],
  remediated: [],
  'retention that never drops': [],
  'drops without archiving': [{ provide: PartitionMaintenanceService, useClass: RetentionWithoutArchive }],
};
const OVERRIDES: Record<Run, ConfigValues> = {
  flawed: {},
  remediated: {},
  'retention that never drops': { HOT_RETENTION_DAYS: '36500', ARCHIVE_PURGE_YEARS: '101' },
  'drops without archiving': {},
};

/** Waits for the worker's first maintenance pass (scheduled to run at start-up) to finish, either way. */
async function firstMaintenancePass(ctx: FindingContext, config: AppConfig): Promise<void> {
  const queue = new Queue(PARTITION_MAINTENANCE_QUEUE, {
    connection: { url: ctx.redisUrl },
    prefix: `${config.redisKeyPrefix}bull`,
  });
  try {
    await waitUntil(
      'the first partition maintenance pass to finish',
      async () => {
        const counts = await queue.getJobCounts('completed', 'failed');
        return (counts['completed'] ?? 0) + (counts['failed'] ?? 0) > 0;
      },
      60_000,
    );
  } finally {
    await queue.close();
  }
}

async function measure(run: Run, ctx: FindingContext, boundary: Date): Promise<Measurement> {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  fauxqs.createBucket(BUCKET);
  const s3 = {
    ARCHIVE_S3_BUCKET: BUCKET,
    ARCHIVE_S3_ENDPOINT: `http://127.0.0.1:${fauxqs.port}`,
    ARCHIVE_S3_REGION: 'us-east-1',
    ARCHIVE_S3_ACCESS_KEY_ID: 'test',
    ARCHIVE_S3_SECRET_ACCESS_KEY: 'test',
  };
  const config = testConfig(ctx, {
    HOT_RETENTION_DAYS: String(HOT_DAYS),
    ...s3,
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
    await seed(ctx);
    const expired = await countOlderThan(ctx, boundary);

    // The worker process as deployed (its scheduled BullMQ job runs one pass at start-up), with the
    // review's design or a put-back cousin plugged in place of its maintenance service where named.
    const workerConfig = testConfig(ctx, {
      HOT_RETENTION_DAYS: String(HOT_DAYS),
      ...s3,
      ALERT_EVALUATOR_ENABLED: 'false',
      ...OVERRIDES[run],
    });
    const module = await compileWithPlugs(WorkerModule.forRoot(workerConfig), PLUGS[run]);
    module.useLogger(false);
    try {
      await module.init();
      if (run !== 'flawed') await firstMaintenancePass(ctx, workerConfig);
    } finally {
      await module.close();
    }
    const left = await countOlderThan(ctx, boundary);
    const store = new S3ArchiveStore({ client, bucket: BUCKET, keyPrefix: 'vitals/' });
    const keys = await store.list(archivePrefix(policy));
    let archived = 0;
    for (const key of keys) for await (const _row of readArchive(store, key)) archived += 1;
    // Rows that left the database without an archive that reads them back.
    const lost = Math.max(0, expired - left - archived);
    const plan = await explainScans(ctx.pool, TODAY_SQL, []);
    const partitions = new Set(plan.scans.map((scan) => scan.split(' on ')[1]));
    if (partitions.size !== 1)
      throw new Error(`a query for today should read one partition: ${plan.scans.join(', ')}`);
    return {
      value: left + lost,
      details: {
        'expired rows': expired,
        'left in the hot table': left,
        'archived (gzip CSV on S3) and read back': archived,
        'lost (dropped, not archived)': lost,
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
    'archives are purged after 7 years. Recent-data queries prune to the newest partition. Both variants boot the ' +
    'worker as deployed on a week of data; the flawed one has no lifecycle step in place of its maintenance service. ' +
    'A row counts against the value if it is still in the hot table past the window, or gone without an archive ' +
    'that reads it back.',
  fix: [
    'src/lifecycle/vital-data.policy.ts',
    'src/lifecycle/partition-maintenance.service.ts',
    'src/worker.module.ts',
  ],
  metric: {
    name: `expired rows (older than the ${HOT_DAYS}-day hot window here) left in the database or lost without an archive`,
    unit: 'rows',
    better: 'lower',
  },
  timeoutMs: 180_000,
  difficulty: 3,
  hints: [
    'Nothing ever leaves the table. What would make removing a day of data cheap?',
    'If each day is its own partition, a whole day can be detached and dropped without a DELETE.',
    'Before dropping, archive the partition (gzip CSV to S3) and read it back to verify; do it from a scheduled worker job.',
    'The technique: a partition lifecycle — daily range partitions, detach past the hot window, archive, verify, drop (libs/partitioning).',
  ],
  seam: 'PartitionMaintenanceService (Nest provider of the worker, WorkerModule) ← katas/v-10-no-retention.flawed.ts NoRetention; the worker booted as deployed, its archive on an S3 emulator',
  flawsPutBack: FLAWS,
  async measure(run, ctx) {
    const policy = vitalDataPolicy(testConfig(ctx, { HOT_RETENTION_DAYS: String(HOT_DAYS) }).lifecycle);
    const boundary = retentionBoundary(policy, new Date());
    return measure(run, ctx, boundary);
  },
  flawed: (rows) => rows > 0,
  remediated: (rows) => rows === 0,
});
