import { describe, expect, test } from '@jest/globals';
import {
  definePartitionPolicy,
  defaultPartitionName,
  partitionName,
  purgeBoundary,
  retentionBoundary,
  FilesystemArchiveStore,
} from '../src/index.js';
import { addIntervals, startOfInterval } from '../src/policy/partition-interval.js';
import { parsePartitionStart } from '../src/policy/partition-naming.js';

const at = (iso: string) => new Date(iso);

describe('partition intervals (UTC)', () => {
  test('a day starts at midnight UTC, a week on Monday, a month on the 1st', () => {
    const wednesday = at('2026-11-25T17:45:00Z');
    expect(startOfInterval(wednesday, 'day')).toEqual(at('2026-11-25T00:00:00Z'));
    expect(startOfInterval(wednesday, 'week')).toEqual(at('2026-11-23T00:00:00Z'));
    expect(startOfInterval(at('2026-11-29T23:59:59Z'), 'week')).toEqual(at('2026-11-23T00:00:00Z'));
    expect(startOfInterval(wednesday, 'month')).toEqual(at('2026-11-01T00:00:00Z'));
  });

  test('adding intervals crosses months and years', () => {
    expect(addIntervals(at('2026-12-31T00:00:00Z'), 'day', 1)).toEqual(at('2027-01-01T00:00:00Z'));
    expect(addIntervals(at('2026-12-28T00:00:00Z'), 'week', 1)).toEqual(at('2027-01-04T00:00:00Z'));
    expect(addIntervals(at('2026-11-01T00:00:00Z'), 'month', 3)).toEqual(at('2027-02-01T00:00:00Z'));
  });
});

describe('partition names', () => {
  test('are <table>_pYYYYMMDD of the first day, and parse back only when they are ours', () => {
    expect(partitionName('vital_data', at('2026-11-24T00:00:00Z'))).toBe('vital_data_p20261124');
    expect(defaultPartitionName('vital_data')).toBe('vital_data_default');
    expect(parsePartitionStart('vital_data', 'vital_data_p20261124', 'day')).toEqual(
      at('2026-11-24T00:00:00Z'),
    );
    expect(parsePartitionStart('vital_data', 'vital_data_p20261124', 'month')).toBeUndefined();
    expect(parsePartitionStart('vital_data', 'vital_data_p20261301', 'day')).toBeUndefined();
    expect(parsePartitionStart('vital_data', 'vital_data_default', 'day')).toBeUndefined();
    expect(parsePartitionStart('vital_data', 'vital_data_x_p20261124', 'day')).toBeUndefined();
  });
});

describe('retention boundaries', () => {
  const archive = { store: new FilesystemArchiveStore('/tmp/unused'), format: 'ndjson' as const };
  const policy = definePartitionPolicy({
    table: 'vital_data',
    column: 'recorded_at',
    interval: 'day',
    premake: 3,
    hotRetention: { days: 90 },
    archive,
    purgeAfter: { years: 7 },
  });

  test('is the start of the partition holding now − window: older partitions end before the window', () => {
    expect(retentionBoundary(policy, at('2026-11-24T10:00:00Z'))).toEqual(at('2026-08-26T00:00:00Z'));
    expect(purgeBoundary(policy, at('2026-11-24T10:00:00Z'))).toEqual(at('2019-11-24T00:00:00Z'));
  });

  test('monthly partitions retire only once the whole month is past the window', () => {
    const monthly = definePartitionPolicy({
      table: 'registrations',
      column: 'registered_at',
      interval: 'month',
      premake: 2,
      hotRetention: { days: 30 },
    });
    expect(retentionBoundary(monthly, at('2026-11-24T00:00:00Z'))).toEqual(at('2026-10-01T00:00:00Z'));
    expect(purgeBoundary(monthly, at('2026-11-24T00:00:00Z'))).toBeUndefined();
  });
});
