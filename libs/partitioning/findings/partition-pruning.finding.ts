import { defineFinding, explainScans } from '@remedy/testing';
import { PartitionMaintainer, partitionName } from '../src/index.js';
import { UNPARTITIONED_READINGS_TABLE } from '../katas/unpartitioned-table.flawed.js';
import { readingsPolicy } from './readings-policy.js';
import { PARTITIONED_READINGS_TABLE } from './readings-schema.js';
import { seedReadings } from './readings-seed.js';
import { startOfUtcDay } from './utc-day.js';

const HISTORY_DAYS = 30;
const READINGS_PER_DAY = 4_000;

export default defineFinding({
  id: 'lib:partition-pruning',
  title: 'A last-day query reads the whole history of an unpartitioned table',
  explanation:
    'An append-only table kept forever makes every time-range query pay for the whole history. With range partitions by time, the planner prunes to the partitions the range touches: a last-day query reads one day of rows however much history is kept.',
  fix: ['src/maintenance/partition-creator.ts', 'src/policy/partition-policy.ts'],
  metric: { name: 'rows examined by a last-day query', unit: 'rows', better: 'lower' },
  async measure(variant, ctx) {
    const now = new Date();
    const today = startOfUtcDay(now);
    const yesterday = startOfUtcDay(now, -1);
    const from = startOfUtcDay(now, -HISTORY_DAYS);
    const table = variant === 'flawed' ? UNPARTITIONED_READINGS_TABLE : PARTITIONED_READINGS_TABLE;
    if (variant === 'remediated') {
      await new PartitionMaintainer(ctx.pool, { now: () => now, log: ctx.log }).ensurePartitions(
        readingsPolicy(90),
        { from },
      );
    }
    ctx.log(`seeding ${HISTORY_DAYS} days × ${READINGS_PER_DAY} readings into ${table}`);
    const seeded = await seedReadings(ctx.pool, table, { from, until: now, perDay: READINGS_PER_DAY });
    await ctx.pool.query(`ANALYZE ${table}`);

    // Both variants run the same query: the tables differ, not the SQL.
    const scans = await explainScans(
      ctx.pool,
      `SELECT count(*), avg(heart_rate) FROM ${table} WHERE recorded_at >= $1 AND recorded_at < $2`,
      [yesterday.toISOString(), today.toISOString()],
    );
    const expectedPartition = partitionName(PARTITIONED_READINGS_TABLE, yesterday);
    if (
      variant === 'remediated' &&
      (scans.relations.length !== 1 || scans.relations[0] !== expectedPartition)
    ) {
      throw new Error(
        `expected pruning to exactly ${expectedPartition}, the plan scanned ${scans.relations.join(', ') || 'nothing'}`,
      );
    }
    return {
      value: scans.rowsExamined,
      details: {
        'rows stored': seeded,
        'tables scanned': scans.relations.join(', '),
        'buffer pages': scans.bufferPages,
      },
    };
  },
  // One day holds READINGS_PER_DAY rows: examining more means rows of other days were read and thrown away.
  flawed: (rows) => rows > READINGS_PER_DAY,
  remediated: (rows) => rows <= READINGS_PER_DAY,
});
