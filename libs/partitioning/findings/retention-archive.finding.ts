import { S3Client } from '@aws-sdk/client-s3';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { startFauxqs } from 'fauxqs';
import {
  PartitionMaintainer,
  S3ArchiveStore,
  archivePrefix,
  readArchive,
  retentionBoundary,
  type ArchivedRow,
  type ArchiveStore,
  type PartitionPolicy,
} from '../src/index.js';
import { UNPARTITIONED_READINGS_TABLE } from '../katas/unpartitioned-table.flawed.js';
import { readRawRows } from './raw-rows.js';
import { readingsPolicy } from './readings-policy.js';
import { PARTITIONED_READINGS_TABLE } from './readings-schema.js';
import { seedReadings } from './readings-seed.js';
import { startOfUtcDay } from './utc-day.js';

const HISTORY_DAYS = 30;
// The vitals review asks for 90 days hot; a 7-day window shows the same mechanics on less data.
const HOT_DAYS = 7;
const READINGS_PER_DAY = 1_000;
const BUCKET = 'vitals-archive';

type PutBack = 'policy that never drops' | 'drop without archive';

interface Run {
  /** The table readings go to: the review's plain table, or the partitioned parent. */
  table: string;
  /** The policy PartitionMaintainer.maintain() applies; undefined where the design has no lifecycle. */
  policy: ((store: ArchiveStore) => PartitionPolicy) | undefined;
}

const RUNS: Record<'flawed' | 'remediated' | PutBack, Run> = {
  // The reviewed design has no retention step: there is nothing to run before counting.
  flawed: { table: UNPARTITIONED_READINGS_TABLE, policy: undefined },
  remediated: {
    table: PARTITIONED_READINGS_TABLE,
    policy: (store) => readingsPolicy(HOT_DAYS, { store, format: 'csv' }),
  },
  // "Keep everything just in case": a hot window longer than the history, so retention never finds work.
  'policy that never drops': {
    table: PARTITIONED_READINGS_TABLE,
    policy: (store) => readingsPolicy(10 * 365, { store, format: 'csv' }),
  },
  'drop without archive': { table: PARTITIONED_READINGS_TABLE, policy: () => readingsPolicy(HOT_DAYS) },
};

export default defineFinding({
  id: 'lib:retention-archive',
  title: 'Rows past the retention window stay in primary storage forever',
  explanation:
    'Without a lifecycle, primary storage, backups and vacuum grow without bound. The retention pass detaches partitions past the hot window, streams them to object storage as gzip CSV, reads the archive back and verifies row count and digest, and only then drops the partition; a crash at any step is finished by the next run. The measure counts both ways to get it wrong: expired rows still anywhere in the database (attached, detached or in a plain table), and expired rows gone from the database without an identical copy in the archive.',
  fix: [
    'src/maintenance/partition-retirer.ts',
    'src/maintenance/partition-detacher.ts',
    'src/archive/partition-archive-writer.ts',
    'src/archive/partition-archive-verifier.ts',
    'src/archive/s3-archive-store.ts',
  ],
  metric: {
    name: 'rows older than the hot window left in the database or lost without an archive',
    unit: 'rows',
    better: 'lower',
  },
  seam: 'the PartitionPolicy PartitionMaintainer.maintain() runs (hot window, archive target) over the readings table, archives in a local S3 (fauxqs) ← katas/unpartitioned-table.flawed.ts: the plain table of the review, with no retention step to run',
  flawsPutBack: {
    'policy that never drops':
      'a hot window of ten years, longer than the history: retention never retires anything',
    'drop without archive':
      'the policy without an archive target: expired partitions are dropped, not archived',
  } satisfies Record<PutBack, string>,
  async measure(run, ctx) {
    const fauxqs = await startFauxqs({ port: 0, logger: false });
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${fauxqs.port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      fauxqs.createBucket(BUCKET);
      return await measureRun(ctx, RUNS[run], new S3ArchiveStore({ client, bucket: BUCKET }));
    } finally {
      client.destroy();
      await fauxqs.stop();
    }
  },
  flawed: (rows) => rows > 0,
  remediated: (rows) => rows === 0,
});

async function measureRun(ctx: FindingContext, run: Run, store: ArchiveStore): Promise<Measurement> {
  const now = new Date();
  const from = startOfUtcDay(now, -HISTORY_DAYS);
  // Expired means past the window the review asks for, whatever the run's policy says.
  const boundary = retentionBoundary(readingsPolicy(HOT_DAYS), now);
  const policy = run.policy?.(store);
  const maintainer = new PartitionMaintainer(ctx.pool, { now: () => now, log: ctx.log });
  if (policy) await maintainer.ensurePartitions(policy, { from });
  await seedReadings(ctx.pool, run.table, { from, until: now, perDay: READINGS_PER_DAY });
  const expired = await expiredRows(ctx, [run.table], boundary);

  const [report] = policy ? await maintainer.maintain([policy]) : [];

  const left = await expiredRows(ctx, await tablesHoldingReadings(ctx), boundary);
  const keys = policy ? await store.list(archivePrefix(policy)) : [];
  const archived = new Set<string>();
  for (const key of keys) for await (const row of readArchive(store, key)) archived.add(rowKey(row));
  const stillStored = new Set(left.map((row) => row.data_id));
  const lost = expired.filter((row) => !stillStored.has(row.data_id) && !archived.has(rowKey(row))).length;
  return {
    value: left.length + lost,
    details: {
      'expired rows left in the database': left.length,
      'expired rows lost (dropped, not in the archive)': lost,
      'rows in the archive': archived.size,
      'archive objects': keys.length,
      'partitions retired': report?.retention.retired.length ?? 0,
    },
  };
}

/** Every plain table (a leaf partition, a detached one, the review's table) with the readings' columns. */
async function tablesHoldingReadings(ctx: FindingContext): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'recorded_at' AND NOT a.attisdropped
      WHERE c.relkind = 'r' AND n.nspname = 'public'`,
  );
  return rows.map((row) => row.name);
}

async function expiredRows(ctx: FindingContext, tables: string[], boundary: Date): Promise<ArchivedRow[]> {
  const rows: ArchivedRow[] = [];
  for (const table of tables) {
    rows.push(
      ...(await readRawRows(ctx.pool, `SELECT * FROM ${table} WHERE recorded_at < $1 ORDER BY data_id`, [
        boundary.toISOString(),
      ])),
    );
  }
  return rows;
}

/** Column names and values in order, as text: equal only for identical rows. */
function rowKey(row: ArchivedRow): string {
  return JSON.stringify(Object.entries(row));
}
