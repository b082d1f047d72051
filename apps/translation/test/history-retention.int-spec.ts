import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemArchiveStore, readArchive, type ArchiveStore } from '@remedy/partitioning';
import { useTestContext } from '@remedy/testing';
import { makeHistoryPartitions, seedHistory } from '../findings/support/history-seed.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import { HistoryRetention } from '../src/history/history-retention.js';

const ctx = useTestContext(translationHarness);

const ORGANISATION = randomUUID();
const SESSION = randomUUID();
const DAYS = 40;
const PER_DAY = 20;

/** The managed day partitions of translation_history, attached or detached, by name. */
async function dayTables(): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class
      WHERE relkind = 'r' AND relname ~ '^translation_history_p[0-9]{8}$' ORDER BY relname`,
  );
  return rows.map((row) => row.name);
}

async function historyRows(): Promise<number> {
  const { rows } = await ctx.pool.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM translation_history',
  );
  return rows[0]?.count ?? 0;
}

async function archivedRows(store: ArchiveStore, keys: readonly string[]): Promise<number> {
  let count = 0;
  for (const key of keys) for await (const _row of readArchive(store, key)) count += 1;
  return count;
}

describe('history retention (polyglot-a:C-1)', () => {
  const directories: string[] = [];

  async function archiveDirectory(): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'translation-history-archive-'));
    directories.push(directory);
    return directory;
  }

  beforeEach(async () => {
    await ctx.pool.query('TRUNCATE translation_history');
    // The oldest seeded day has its own partition, so the oldest partition holds rows.
    await makeHistoryPartitions(ctx.pool, DAYS - 1);
    await seedHistory(ctx.pool, {
      organisationId: ORGANISATION,
      sessionId: SESSION,
      days: DAYS,
      perDay: PER_DAY,
    });
  });

  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it('archives every day past the 30-day window as NDJSON it reads back, drops it, and a rerun changes nothing', async () => {
    const before = await historyRows();
    const directory = await archiveDirectory();
    const store = new FilesystemArchiveStore(directory);
    const retention = new HistoryRetention(ctx.pool, store);

    const report = await retention.runOnce();
    const retired = report.retention.retired;
    expect(retired.length).toBeGreaterThanOrEqual(DAYS - 31);
    const keys = retired.map((partition) => partition.archiveKey ?? '');
    expect(keys.every((key) => key.endsWith('.ndjson.gz'))).toBe(true);
    const archived = await archivedRows(store, keys);
    expect(archived).toBe(retired.reduce((sum, partition) => sum + partition.rows, 0));
    // Nothing lost: every row is either still in the database or in a verified archive.
    expect((await historyRows()) + archived).toBe(before);
    const remaining = await dayTables();
    for (const partition of retired) expect(remaining).not.toContain(partition.name);

    const again = await retention.runOnce();
    expect(again.retention.retired).toEqual([]);
    expect(await store.list('')).toEqual([...keys].sort());
    expect((await historyRows()) + archived).toBe(before);
  });

  it('finishes a pass that died after detaching a day: the next pass archives it before dropping it', async () => {
    const oldest = (await dayTables())[0] ?? '';
    const { rows } = await ctx.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${oldest}`);
    await ctx.pool.query(`ALTER TABLE translation_history DETACH PARTITION ${oldest}`);

    const store = new FilesystemArchiveStore(await archiveDirectory());
    const report = await new HistoryRetention(ctx.pool, store).runOnce();
    const resumed = report.retention.retired.find((partition) => partition.name === oldest);
    expect(resumed).toMatchObject({ resumed: true, rows: rows[0]?.count });
    expect(await archivedRows(store, [resumed?.archiveKey ?? ''])).toBe(rows[0]?.count);
    expect(await dayTables()).not.toContain(oldest);
  });

  it('keeps a day whose archive cannot be written, and retires it on a later pass', async () => {
    const before = await historyRows();
    const tables = await dayTables();
    const oldest = tables[0] ?? '';
    const oldestRows = async (): Promise<number> => {
      const { rows } = await ctx.pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${oldest}`,
      );
      return rows[0]?.count ?? 0;
    };
    const rowsOfOldest = await oldestRows();
    expect(rowsOfOldest).toBeGreaterThan(0);
    const healthy = new FilesystemArchiveStore(await archiveDirectory());
    const failing: ArchiveStore = {
      put: () => Promise.reject(new Error('archive volume is full')),
      get: (key) => healthy.get(key),
      list: (prefix) => healthy.list(prefix),
      delete: (key) => healthy.delete(key),
    };

    await expect(new HistoryRetention(ctx.pool, failing).runOnce()).rejects.toThrow(/archive volume is full/);
    // The day it was working on is detached but whole: no table is gone, and no row with it.
    expect(await dayTables()).toEqual(tables);
    expect(await oldestRows()).toBe(rowsOfOldest);
    expect(await historyRows()).toBe(before - rowsOfOldest);

    const report = await new HistoryRetention(ctx.pool, healthy).runOnce();
    expect(report.retention.retired[0]).toMatchObject({ name: oldest, resumed: true, rows: rowsOfOldest });
  });

  it("runs on the app's schedule: the API retires past days at start-up into HISTORY_ARCHIVE_DIR", async () => {
    const directory = await archiveDirectory();
    const expired = (await dayTables()).slice(0, DAYS - 31);
    const testApp = await startTestApp(ctx, { HISTORY_MAINTENANCE: 'on', HISTORY_ARCHIVE_DIR: directory });
    try {
      const deadline = Date.now() + 30_000;
      while ((await dayTables()).some((name) => expired.includes(name))) {
        if (Date.now() > deadline) throw new Error(`the retention job left ${expired.join(', ')} in place`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const keys = await new FilesystemArchiveStore(directory).list('public.translation_history/');
      expect(keys).toEqual(
        expect.arrayContaining(expired.map((name) => `public.translation_history/${name}.ndjson.gz`)),
      );
    } finally {
      await testApp.close();
    }
  });
});
