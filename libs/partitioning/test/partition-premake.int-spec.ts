import { describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import pg from 'pg';
import { PartitionMaintainer, definePartitionPolicy, partitionName, premakeBoundary } from '../src/index.js';
import { startOfUtcDay } from '../findings/utc-day.js';
import { partitioningHarness } from './support/partitioning-harness.js';
import { attachedPartitions, countRows, newReadingsTable } from './support/readings-table.js';

const ctx = useTestContext(partitioningHarness);
const now = new Date();
const day = (offset: number) => startOfUtcDay(now, offset);

describe('premake', () => {
  test('creates the current day plus `premake` days ahead and a default partition; a second run creates nothing', async () => {
    const policy = await newReadingsTable(ctx.pool, { premake: 3 });
    const maintainer = new PartitionMaintainer(ctx.pool, { now: () => now });

    const first = await maintainer.ensurePartitions(policy);
    expect(first.defaultPartitionCreated).toBe(true);
    expect(first.created.map((partition) => partition.name)).toEqual(
      [0, 1, 2, 3].map((offset) => partitionName(policy.table, day(offset))),
    );
    expect(first.created[0]).toMatchObject({ from: day(0), to: day(1), rowsMovedFromDefault: 0 });

    const second = await maintainer.ensurePartitions(policy);
    expect(second).toEqual({ table: policy.qualifiedName, created: [], defaultPartitionCreated: false });
    expect((await attachedPartitions(ctx.pool, policy)).map((partition) => partition.name)).toEqual([
      `${policy.table}_default`,
      ...[0, 1, 2, 3].map((offset) => partitionName(policy.table, day(offset))),
    ]);
  });

  test('two instances premaking at the same moment create each partition exactly once', async () => {
    const policy = await newReadingsTable(ctx.pool, { premake: 5 });
    const otherInstancePool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 });
    // Ended below, but its backends may still be exiting when the file's database is dropped WITH FORCE.
    otherInstancePool.on('error', () => undefined);
    try {
      const reports = await Promise.all([
        new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy),
        new PartitionMaintainer(otherInstancePool, { now: () => now }).ensurePartitions(policy),
      ]);
      const created = reports.flatMap((report) => report.created.map((partition) => partition.name));
      expect(created.sort()).toEqual(
        [0, 1, 2, 3, 4, 5].map((offset) => partitionName(policy.table, day(offset))),
      );
      expect(reports.filter((report) => report.defaultPartitionCreated)).toHaveLength(1);
      expect(await attachedPartitions(ctx.pool, policy)).toHaveLength(7);
    } finally {
      await otherInstancePool.end();
    }
  });

  test('backfills from a past date, with partition bounds matching the names', async () => {
    const policy = await newReadingsTable(ctx.pool, { premake: 1 });
    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy, {
      from: day(-3),
    });
    expect(report.created.map((partition) => partition.name)).toEqual(
      [-3, -2, -1, 0, 1].map((offset) => partitionName(policy.table, day(offset))),
    );
    const { rows } = await ctx.pool.query<{ bound: string }>(
      `SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE relname = $1`,
      [partitionName(policy.table, day(-3))],
    );
    const utc = (date: Date) => date.toISOString().slice(0, 10);
    expect(rows[0]?.bound).toMatch(
      new RegExp(
        `^FOR VALUES FROM \\('${utc(day(-3))} 00:00:00\\+00'\\) TO \\('${utc(day(-2))} 00:00:00\\+00'\\)$`,
      ),
    );
  });

  test('keeps partitions ready back to premakeBoundary for a policy that takes late rows', async () => {
    const policy = await newReadingsTable(ctx.pool, { premake: 1, lateArrival: { days: 2 } });
    expect(premakeBoundary(policy, now)).toEqual(day(-2));
    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy);
    expect(report.created.map((partition) => partition.name)).toEqual(
      [-2, -1, 0, 1].map((offset) => partitionName(policy.table, day(offset))),
    );
  });

  test('monthly partitions are named after the first of the month', async () => {
    const policy = await newReadingsTable(ctx.pool, {
      interval: 'month',
      premake: 2,
      hotRetention: { months: 12 },
    });
    const report = await new PartitionMaintainer(ctx.pool, {
      now: () => new Date('2026-11-24T12:00:00Z'),
    }).ensurePartitions(policy);
    expect(report.created.map((partition) => partition.name)).toEqual(
      ['20261101', '20261201', '20270101'].map((date) => `${policy.table}_p${date}`),
    );
  });

  test('a policy without a default partition creates none', async () => {
    const policy = await newReadingsTable(ctx.pool, { premake: 1, defaultPartition: false });
    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy);
    expect(report.defaultPartitionCreated).toBe(false);
    expect((await attachedPartitions(ctx.pool, policy)).map((partition) => partition.name)).not.toContain(
      `${policy.table}_default`,
    );
  });

  test('refuses tables that are missing, plain, or partitioned some other way, saying which', async () => {
    await ctx.pool.query('CREATE TABLE plain_readings (recorded_at timestamptz NOT NULL)');
    await ctx.pool.query(
      'CREATE TABLE listed_readings (recorded_at timestamptz NOT NULL, kind text) PARTITION BY LIST (kind)',
    );
    await ctx.pool.query(
      'CREATE TABLE numbered_readings (recorded_at bigint NOT NULL) PARTITION BY RANGE (recorded_at)',
    );
    const maintainer = new PartitionMaintainer(ctx.pool, { now: () => now });
    const policyFor = (table: string) =>
      definePartitionPolicy({
        table,
        column: 'recorded_at',
        interval: 'day',
        premake: 1,
        hotRetention: { days: 3 },
      });

    await expect(maintainer.ensurePartitions(policyFor('missing_readings'))).rejects.toThrow(
      'Partitioned table public.missing_readings does not exist',
    );
    await expect(maintainer.ensurePartitions(policyFor('plain_readings'))).rejects.toThrow(
      'public.plain_readings is a plain table: it must be created PARTITION BY RANGE (recorded_at)',
    );
    await expect(maintainer.ensurePartitions(policyFor('listed_readings'))).rejects.toThrow(
      'public.listed_readings must be partitioned PARTITION BY RANGE (recorded_at)',
    );
    await expect(maintainer.ensurePartitions(policyFor('numbered_readings'))).rejects.toThrow(
      'public.numbered_readings.recorded_at is bigint',
    );
  });
});

describe('default partition check', () => {
  test('reports rows past the premade range, and premake moves them into their partition once it catches up', async () => {
    const policy = await newReadingsTable(ctx.pool, { premake: 1 });
    await new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy);
    const early = new Date(day(5).getTime() + 3_600_000);
    await ctx.pool.query(
      `INSERT INTO ${policy.table} (device_id, patient_id, recorded_at) VALUES (1, 1, $1), (2, 2, $2)`,
      [early, now],
    );

    const lines: string[] = [];
    const behind = await new PartitionMaintainer(ctx.pool, {
      now: () => now,
      log: (line) => lines.push(line),
    }).checkDefaultPartition(policy);
    expect(behind).toEqual({ partition: `${policy.table}_default`, rows: 1, oldest: early, newest: early });
    expect(lines).toEqual([`partitioning: 1 rows in public.${policy.table}_default: premake is behind`]);

    const later = new PartitionMaintainer(ctx.pool, { now: () => day(4) });
    const caughtUp = await later.ensurePartitions(policy);
    expect(
      caughtUp.created.find((partition) => partition.name === partitionName(policy.table, day(5)))
        ?.rowsMovedFromDefault,
    ).toBe(1);
    expect(await later.checkDefaultPartition(policy)).toMatchObject({ rows: 0, oldest: null });
    expect(await countRows(ctx.pool, partitionName(policy.table, day(5)))).toBe(1);
    expect(await countRows(ctx.pool, policy.table)).toBe(2);
  });

  test('is undefined for a policy without a default partition', async () => {
    const policy = await newReadingsTable(ctx.pool, { defaultPartition: false });
    await new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy);
    expect(await new PartitionMaintainer(ctx.pool).checkDefaultPartition(policy)).toBeUndefined();
  });
});
