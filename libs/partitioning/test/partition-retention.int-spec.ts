import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import {
  FilesystemArchiveStore,
  PartitionMaintainer,
  archivePrefix,
  partitionName,
  readArchive,
  retentionBoundary,
  type ArchivedRow,
  type PartitionPolicy,
  type PartitionPolicyOptions,
} from '../src/index.js';
import { readRawRows } from '../findings/raw-rows.js';
import { seedReadings } from '../findings/readings-seed.js';
import { rowsFingerprint } from '../findings/rows-fingerprint.js';
import { startOfUtcDay } from '../findings/utc-day.js';
import { FailingOnceArchiveStore } from './support/failing-archive-store.js';
import { partitioningHarness } from './support/partitioning-harness.js';
import { attachedPartitions, countRows, newReadingsTable, tableExists } from './support/readings-table.js';
import { makeTemporaryDirectory, removeDirectory } from './support/temporary-directory.js';

const ctx = useTestContext(partitioningHarness);
const now = new Date();
const day = (offset: number) => startOfUtcDay(now, offset);
const PER_DAY = 200;
// hotRetention 3 days: days −10 … −4 are past the window, −3 … today stay.
const EXPIRED_DAYS = [-10, -9, -8, -7, -6, -5, -4];
let archiveRoot: string;

beforeAll(async () => {
  archiveRoot = await makeTemporaryDirectory();
});
afterAll(async () => {
  await removeDirectory(archiveRoot);
});

async function seededTable(overrides: Partial<PartitionPolicyOptions> = {}): Promise<PartitionPolicy> {
  const policy = await newReadingsTable(ctx.pool, { hotRetention: { days: 3 }, ...overrides });
  await new PartitionMaintainer(ctx.pool, { now: () => now }).ensurePartitions(policy, { from: day(-10) });
  await seedReadings(ctx.pool, policy.table, { from: day(-10), until: now, perDay: PER_DAY });
  return policy;
}

function archivedTo(directory: string, format: 'csv' | 'ndjson' = 'csv') {
  return { store: new FilesystemArchiveStore(`${archiveRoot}/${directory}`), format };
}

async function readAllArchives(policy: PartitionPolicy): Promise<ArchivedRow[]> {
  if (!policy.archive) throw new Error('policy has no archive');
  const rows: ArchivedRow[] = [];
  for (const key of await policy.archive.store.list(archivePrefix(policy)))
    for await (const row of readArchive(policy.archive.store, key)) rows.push(row);
  return rows.sort((a, b) => Number(a.data_id) - Number(b.data_id));
}

describe('retention', () => {
  test('detaches, archives, verifies and drops every partition past the hot window; the archives hold exactly those rows', async () => {
    const policy = await seededTable({ archive: archivedTo('complete') });
    const boundary = retentionBoundary(policy, now);
    const expiredRows = await readRawRows(
      ctx.pool,
      `SELECT * FROM ${policy.table} WHERE recorded_at < $1 ORDER BY data_id`,
      [boundary],
    );
    const hotRows = await countRows(ctx.pool, policy.table, 'recorded_at >= $1', [boundary]);

    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(policy);

    const expiredNames = EXPIRED_DAYS.map((offset) => partitionName(policy.table, day(offset)));
    expect(report.skipped).toBe(false);
    expect(report.retired.map((partition) => partition.name)).toEqual(expiredNames);
    expect(report.retired.every((partition) => partition.rows === PER_DAY && !partition.resumed)).toBe(true);
    expect(report.retired[0]?.archiveKey).toBe(`public.${policy.table}/${expiredNames[0]}.csv.gz`);
    for (const name of expiredNames) expect(await tableExists(ctx.pool, name)).toBe(false);
    expect(await countRows(ctx.pool, policy.table, 'recorded_at < $1', [boundary])).toBe(0);
    expect(await countRows(ctx.pool, policy.table)).toBe(hotRows);

    const archived = await readAllArchives(policy);
    expect(archived).toHaveLength(EXPIRED_DAYS.length * PER_DAY);
    expect(rowsFingerprint(archived)).toBe(rowsFingerprint(expiredRows));

    const again = await new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(policy);
    expect(again.retired).toEqual([]);
  });

  test('a partition detached by a run that stopped before dropping it is archived and dropped by the next run', async () => {
    const policy = await seededTable({ archive: archivedTo('after-detach') });
    const oldest = partitionName(policy.table, day(-10));
    await ctx.pool.query(`ALTER TABLE ${policy.table} DETACH PARTITION ${oldest}`);

    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(policy);

    expect(report.retired[0]).toMatchObject({ name: oldest, rows: PER_DAY, resumed: true });
    expect(report.retired.slice(1).every((partition) => !partition.resumed)).toBe(true);
    expect(await tableExists(ctx.pool, oldest)).toBe(false);
    expect(await readAllArchives(policy)).toHaveLength(EXPIRED_DAYS.length * PER_DAY);
  });

  test('an upload that fails midway keeps the detached partition, and the next run archives and drops it', async () => {
    const healthy = archivedTo('interrupted');
    const policy = await seededTable({ archive: healthy });
    const failing = { ...policy, archive: { ...healthy, store: new FailingOnceArchiveStore(healthy.store) } };
    const oldest = partitionName(policy.table, day(-10));

    await expect(
      new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(failing),
    ).rejects.toThrow(`upload of public.${policy.table}/${oldest}.csv.gz interrupted`);
    expect(await countRows(ctx.pool, oldest)).toBe(PER_DAY);
    expect((await attachedPartitions(ctx.pool, policy)).map((partition) => partition.name)).not.toContain(
      oldest,
    );
    expect(await healthy.store.list(archivePrefix(policy))).toEqual([]);

    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(policy);
    expect(report.retired.map((partition) => [partition.name, partition.resumed])).toEqual(
      EXPIRED_DAYS.map((offset, index) => [partitionName(policy.table, day(offset)), index === 0]),
    );
    expect(await tableExists(ctx.pool, oldest)).toBe(false);
    expect(await readAllArchives(policy)).toHaveLength(EXPIRED_DAYS.length * PER_DAY);
  });

  test('without a default partition it detaches CONCURRENTLY, and FINALIZEs a concurrent detach that was interrupted', async () => {
    const policy = await seededTable({ defaultPartition: false });
    const oldest = partitionName(policy.table, day(-10));
    // An open transaction that has read the table: DETACH … CONCURRENTLY marks the partition, then waits for it.
    const reader = await ctx.pool.connect();
    try {
      await reader.query('BEGIN');
      await reader.query(`SELECT count(*) FROM ${policy.table}`);
      const impatient = new PartitionMaintainer(ctx.pool, { now: () => now, lockTimeoutMs: 200 });
      await expect(impatient.applyRetention(policy)).rejects.toThrow(/lock timeout/);
      expect(await attachedPartitions(ctx.pool, policy)).toContainEqual({ name: oldest, pending: true });
    } finally {
      await reader.query('ROLLBACK');
      reader.release();
    }

    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(policy);

    expect(report.retired[0]).toMatchObject({
      name: oldest,
      resumed: true,
      archiveKey: undefined,
      rows: PER_DAY,
    });
    expect(report.retired.map((partition) => partition.name)).toEqual(
      EXPIRED_DAYS.map((offset) => partitionName(policy.table, day(offset))),
    );
    expect((await attachedPartitions(ctx.pool, policy)).some((partition) => partition.pending)).toBe(false);
    expect(
      await countRows(ctx.pool, policy.table, 'recorded_at < $1', [retentionBoundary(policy, now)]),
    ).toBe(0);
  });

  test('deletes archives older than purgeAfter from the store', async () => {
    const policy = await seededTable({ archive: archivedTo('purge', 'ndjson'), purgeAfter: { days: 6 } });
    const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(policy);
    const key = (offset: number) =>
      `public.${policy.table}/${partitionName(policy.table, day(offset))}.ndjson.gz`;
    expect(report.purgedArchives).toEqual([-10, -9, -8, -7].map(key));
    expect(await policy.archive?.store.list(archivePrefix(policy))).toEqual([-6, -5, -4].map(key));
  });

  test('leaves the table alone while another instance holds its retention lock', async () => {
    const policy = await seededTable({ archive: archivedTo('locked') });
    const other = await ctx.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        `remedy.partitioning.retention:${policy.qualifiedName}`,
      ]);
      const report = await new PartitionMaintainer(ctx.pool, { now: () => now }).applyRetention(policy);
      expect(report).toEqual({ table: policy.qualifiedName, skipped: true, retired: [], purgedArchives: [] });
      expect(await attachedPartitions(ctx.pool, policy)).toHaveLength(14);
    } finally {
      await other.query('SELECT pg_advisory_unlock_all()');
      other.release();
    }
  });
});
