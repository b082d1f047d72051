import { describe, expect, test } from '@jest/globals';
import {
  definePartitionPolicy,
  FilesystemArchiveStore,
  PartitionPolicyError,
  type PartitionPolicyOptions,
} from '../src/index.js';

const valid: PartitionPolicyOptions = {
  table: 'vital_data',
  column: 'recorded_at',
  interval: 'day',
  premake: 3,
  hotRetention: { days: 90 },
};
const archive = { store: new FilesystemArchiveStore('/tmp/unused'), format: 'csv' as const };

function problemsOf(options: PartitionPolicyOptions): readonly string[] {
  try {
    definePartitionPolicy(options);
  } catch (error) {
    if (error instanceof PartitionPolicyError) return error.problems;
    throw error;
  }
  return [];
}

describe('definePartitionPolicy', () => {
  test('fills in schema public and keeps a default partition unless told otherwise', () => {
    const policy = definePartitionPolicy(valid);
    expect(policy).toMatchObject({
      schema: 'public',
      table: 'vital_data',
      qualifiedName: 'public.vital_data',
      defaultPartition: true,
      archive: undefined,
    });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(definePartitionPolicy({ ...valid, table: 'events.registrations' }).qualifiedName).toBe(
      'events.registrations',
    );
  });

  test('lists every problem at once, naming the table', () => {
    const attempt = () =>
      definePartitionPolicy({
        ...valid,
        column: 'Recorded At',
        interval: 'hour' as 'day',
        premake: 0,
        hotRetention: { days: -1 },
      });
    expect(attempt).toThrow(PartitionPolicyError);
    expect(attempt).toThrow(
      /^Invalid partition policy for "vital_data": column must be a lower-case identifier/,
    );
    expect(
      problemsOf({
        ...valid,
        column: 'Recorded At',
        interval: 'hour' as 'day',
        premake: 0,
        hotRetention: { days: -1 },
      }),
    ).toEqual([
      'column must be a lower-case identifier (got "Recorded At")',
      'interval must be one of day, week, month (got "hour")',
      'premake must be a whole number of intervals from 1 to 366 (got 0)',
      'hotRetention units must be whole numbers ≥ 0',
    ]);
  });

  test('rejects table names that are not identifiers or too long for partition names', () => {
    expect(problemsOf({ ...valid, table: 'vital-data' })[0]).toMatch(
      /table must be "table" or "schema.table"/,
    );
    expect(problemsOf({ ...valid, table: 'a.b.c' })[0]).toMatch(/table must be/);
    expect(problemsOf({ ...valid, table: 'x'.repeat(54) })).toEqual([
      "table name must be at most 53 characters so partition names fit PostgreSQL's 63",
    ]);
  });

  test('rejects empty or unknown durations', () => {
    expect(problemsOf({ ...valid, hotRetention: {} })).toEqual(['hotRetention must be longer than zero']);
    expect(problemsOf({ ...valid, hotRetention: { hours: 5 } as never })).toEqual([
      'hotRetention has unknown unit(s) hours (use years, months, weeks, days)',
    ]);
  });

  test('checks the archive port and format', () => {
    expect(problemsOf({ ...valid, archive: { store: {} as never, format: 'parquet' as 'csv' } })).toEqual([
      'archive.store must implement ArchiveStore (put, get, list, delete)',
      'archive.format must be one of csv, ndjson (got "parquet")',
    ]);
  });

  test('lateArrival must be shorter than the hot window, or retention would drop what premake keeps ready', () => {
    expect(problemsOf({ ...valid, lateArrival: { days: 90 } })).toEqual([
      'lateArrival (90 days) must be shorter than hotRetention (90 days)',
    ]);
    expect(problemsOf({ ...valid, lateArrival: { days: 0 } })).toEqual([
      'lateArrival must be longer than zero',
    ]);
    expect(problemsOf({ ...valid, lateArrival: { days: 2 } })).toEqual([]);
  });

  test('purgeAfter needs an archive and must outlast the hot window', () => {
    expect(problemsOf({ ...valid, purgeAfter: { years: 7 } })).toEqual([
      'purgeAfter deletes archives, so it needs archive',
    ]);
    expect(problemsOf({ ...valid, archive, purgeAfter: { months: 2 } })).toEqual([
      'purgeAfter (2 months) must be longer than hotRetention (90 days)',
    ]);
    expect(problemsOf({ ...valid, archive, purgeAfter: { days: 90 } })).toEqual([
      'purgeAfter (90 days) must be longer than hotRetention (90 days)',
    ]);
    expect(problemsOf({ ...valid, archive, purgeAfter: { years: 7 } })).toEqual([]);
  });
});
