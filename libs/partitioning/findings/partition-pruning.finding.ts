import { defineFinding, explainScans } from '@remedy/testing';
import { PartitionMaintainer, partitionName, type PartitionInterval } from '../src/index.js';
import { UNPARTITIONED_READINGS_TABLE } from '../katas/unpartitioned-table.flawed.js';
import { readingsPolicy } from './readings-policy.js';
import { PARTITIONED_READINGS_TABLE } from './readings-schema.js';
import { seedReadings } from './readings-seed.js';
import { startOfUtcDay } from './utc-day.js';

const HISTORY_DAYS = 30;
const READINGS_PER_DAY = 4_000;
// A pinned clock: mid-month and mid-week, so a wider partition than a day always holds other days' rows.
const NOW = new Date('2026-03-18T12:00:00Z');

/** The last-day query, on the range of the partition key: the form the planner can prune on. */
const RANGE_ON_THE_KEY = 'recorded_at >= $1 AND recorded_at < $2';

type PutBack = 'expression on the key' | 'monthly partitions';

interface Run {
  table: string;
  /** Partition width, or undefined for the reviewed design's plain table. */
  interval: PartitionInterval | undefined;
  predicate: string;
}

const RUNS: Record<'flawed' | 'remediated' | PutBack, Run> = {
  flawed: { table: UNPARTITIONED_READINGS_TABLE, interval: undefined, predicate: RANGE_ON_THE_KEY },
  remediated: { table: PARTITIONED_READINGS_TABLE, interval: 'day', predicate: RANGE_ON_THE_KEY },
  // The same day asked for through a function of the key: the planner cannot map it to partition bounds.
  'expression on the key': {
    table: PARTITIONED_READINGS_TABLE,
    interval: 'day',
    predicate: `date_trunc('day', recorded_at, 'UTC') >= $1 AND date_trunc('day', recorded_at, 'UTC') < $2`,
  },
  'monthly partitions': { table: PARTITIONED_READINGS_TABLE, interval: 'month', predicate: RANGE_ON_THE_KEY },
};

export default defineFinding({
  id: 'lib:partition-pruning',
  title: 'A last-day query reads the whole history of an unpartitioned table',
  explanation:
    'An append-only table kept forever makes every time-range query pay for the whole history. With daily range partitions by time, the planner prunes to the partitions the range touches: a last-day query reads one day of rows however much history is kept. Pruning needs both halves: partitions no wider than the ranges queried, and a predicate on the partition key itself (a function of the key, such as date_trunc, scans every partition).',
  fix: ['src/maintenance/partition-creator.ts', 'src/policy/partition-policy.ts'],
  metric: { name: 'rows examined by a last-day query', unit: 'rows', better: 'lower' },
  seam: 'the readings table the same last-day query runs on (schema seam): the partitioned parent whose partitions PartitionMaintainer.ensurePartitions creates from the policy ← katas/unpartitioned-table.flawed.ts, the plain table of the review',
  flawsPutBack: {
    'expression on the key':
      "the last-day range taken on date_trunc('day', recorded_at, 'UTC') instead of recorded_at, on the daily partitions",
    'monthly partitions': 'the policy with interval month: partitions far wider than the daily query',
  } satisfies Record<PutBack, string>,
  async measure(run, ctx) {
    const { table, interval, predicate } = RUNS[run];
    const today = startOfUtcDay(NOW);
    const yesterday = startOfUtcDay(NOW, -1);
    const from = startOfUtcDay(NOW, -HISTORY_DAYS);
    if (interval) {
      await new PartitionMaintainer(ctx.pool, { now: () => NOW, log: ctx.log }).ensurePartitions(
        readingsPolicy(90, undefined, interval),
        { from },
      );
    }
    ctx.log(`seeding ${HISTORY_DAYS} days × ${READINGS_PER_DAY} readings into ${table}`);
    const seeded = await seedReadings(ctx.pool, table, { from, until: NOW, perDay: READINGS_PER_DAY });
    await ctx.pool.query(`ANALYZE ${table}`);

    const scans = await explainScans(
      ctx.pool,
      `SELECT count(*), avg(heart_rate) FROM ${table} WHERE ${predicate}`,
      [yesterday.toISOString(), today.toISOString()],
    );
    const expectedPartition = partitionName(PARTITIONED_READINGS_TABLE, yesterday);
    if (run === 'remediated' && (scans.relations.length !== 1 || scans.relations[0] !== expectedPartition)) {
      throw new Error(
        `expected pruning to exactly ${expectedPartition}, the plan scanned ${scans.relations.join(', ') || 'nothing'}`,
      );
    }
    return {
      value: scans.rowsExamined,
      details: {
        'rows stored': seeded,
        'tables scanned': scans.relations.length,
        'buffer pages': scans.bufferPages,
      },
    };
  },
  // One day holds READINGS_PER_DAY rows: examining more means rows of other days were read and thrown away.
  flawed: (rows) => rows > READINGS_PER_DAY,
  remediated: (rows) => rows <= READINGS_PER_DAY,
});
