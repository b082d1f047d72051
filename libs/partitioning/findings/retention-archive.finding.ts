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
} from '../src/index.js';
import { UNPARTITIONED_READINGS_TABLE } from '../katas/unpartitioned-table.flawed.js';
import { readRawRows } from './raw-rows.js';
import { readingsPolicy } from './readings-policy.js';
import { PARTITIONED_READINGS_TABLE } from './readings-schema.js';
import { seedReadings } from './readings-seed.js';
import { rowsFingerprint } from './rows-fingerprint.js';
import { startOfUtcDay } from './utc-day.js';

const HISTORY_DAYS = 30;
// The vitals review asks for 90 days hot; a 7-day window shows the same mechanics on less data.
const HOT_DAYS = 7;
const READINGS_PER_DAY = 1_000;
const BUCKET = 'vitals-archive';

export default defineFinding({
  id: 'lib:retention-archive',
  title: 'Rows past the retention window stay in primary storage forever',
  explanation:
    'Without a lifecycle, primary storage, backups and vacuum grow without bound. The retention pass detaches partitions past the hot window, streams them to object storage as gzip CSV, reads the archive back and verifies row count and digest, and only then drops the partition; a crash at any step is finished by the next run.',
  fix: [
    'src/maintenance/partition-retirer.ts',
    'src/maintenance/partition-detacher.ts',
    'src/archive/partition-archive-writer.ts',
    'src/archive/partition-archive-verifier.ts',
    'src/archive/s3-archive-store.ts',
  ],
  metric: { name: 'rows older than the hot window left in the database', unit: 'rows', better: 'lower' },
  async measure(variant, ctx) {
    const now = new Date();
    const from = startOfUtcDay(now, -HISTORY_DAYS);
    const boundary = retentionBoundary(readingsPolicy(HOT_DAYS), now);
    if (variant === 'flawed') {
      await seedReadings(ctx.pool, UNPARTITIONED_READINGS_TABLE, {
        from,
        until: now,
        perDay: READINGS_PER_DAY,
      });
      // The reviewed design has no retention step: there is nothing to run before counting.
      return { value: await countOlderThan(ctx, UNPARTITIONED_READINGS_TABLE, boundary) };
    }
    return measureRemediated(ctx, now, from, boundary);
  },
  flawed: (rows) => rows > 0,
  remediated: (rows) => rows === 0,
});

async function measureRemediated(
  ctx: FindingContext,
  now: Date,
  from: Date,
  boundary: Date,
): Promise<Measurement> {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    fauxqs.createBucket(BUCKET);
    const store = new S3ArchiveStore({ client, bucket: BUCKET });
    const policy = readingsPolicy(HOT_DAYS, { store, format: 'csv' });
    const maintainer = new PartitionMaintainer(ctx.pool, { now: () => now, log: ctx.log });
    await maintainer.ensurePartitions(policy, { from });
    await seedReadings(ctx.pool, PARTITIONED_READINGS_TABLE, { from, until: now, perDay: READINGS_PER_DAY });
    const expired = await readRawRows(
      ctx.pool,
      `SELECT * FROM ${PARTITIONED_READINGS_TABLE} WHERE recorded_at < $1 ORDER BY data_id`,
      [boundary.toISOString()],
    );

    const [report] = await maintainer.maintain([policy]);
    const keys = await store.list(archivePrefix(policy));
    const archived: ArchivedRow[] = [];
    for (const key of keys) for await (const row of readArchive(store, key)) archived.push(row);
    archived.sort((a, b) => Number(a.data_id) - Number(b.data_id));
    if (archived.length !== expired.length || rowsFingerprint(archived) !== rowsFingerprint(expired)) {
      throw new Error(
        `the archive does not round-trip: ${expired.length} rows expired, ${archived.length} read back from ${keys.length} objects, contents differ`,
      );
    }
    return {
      value: await countOlderThan(ctx, PARTITIONED_READINGS_TABLE, boundary),
      details: {
        'rows archived and verified': archived.length,
        'archive objects': keys.length,
        'partitions retired': report?.retention.retired.length ?? 0,
      },
    };
  } finally {
    client.destroy();
    await fauxqs.stop();
  }
}

async function countOlderThan(ctx: FindingContext, table: string, boundary: Date): Promise<number> {
  const { rows } = await ctx.pool.query<{ count: string }>(
    `SELECT count(*) AS count FROM ${table} WHERE recorded_at < $1`,
    [boundary.toISOString()],
  );
  return Number(rows[0]?.count ?? 0);
}
