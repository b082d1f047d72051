import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { readdir } from 'node:fs/promises';
import {
  FilesystemArchiveStore,
  PartitionMaintainer,
  definePartitionPolicy,
  readArchive,
  type ArchivedRow,
} from '../src/index.js';
import { readRawRows } from '../findings/raw-rows.js';
import { startOfUtcDay } from '../findings/utc-day.js';
import { partitioningHarness } from './support/partitioning-harness.js';
import { makeTemporaryDirectory, removeDirectory } from './support/temporary-directory.js';

const ctx = useTestContext(partitioningHarness);
const now = new Date();
let root: string;

beforeAll(async () => {
  root = await makeTemporaryDirectory();
});
afterAll(async () => {
  await removeDirectory(root);
});

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

describe('FilesystemArchiveStore', () => {
  test('puts, gets, lists by prefix and deletes by key', async () => {
    const store = new FilesystemArchiveStore(`${root}/basic`);
    expect(await store.list('')).toEqual([]);
    await store.put('public.a/a_p20261101.csv.gz', bytes('one ', 'two'));
    await store.put('public.a/a_p20261102.csv.gz', bytes('three'));
    await store.put('public.b/b_p20261101.csv.gz', bytes('four'));
    await store.put('public.a/a_p20261102.csv.gz', bytes('replaced'));

    expect(await text(await store.get('public.a/a_p20261101.csv.gz'))).toBe('one two');
    expect(await text(await store.get('public.a/a_p20261102.csv.gz'))).toBe('replaced');
    expect(await store.list('public.a/')).toEqual([
      'public.a/a_p20261101.csv.gz',
      'public.a/a_p20261102.csv.gz',
    ]);

    await store.delete('public.a/a_p20261101.csv.gz');
    await store.delete('public.a/never-there.csv.gz');
    expect(await store.list('public.')).toEqual([
      'public.a/a_p20261102.csv.gz',
      'public.b/b_p20261101.csv.gz',
    ]);
    await expect(store.get('public.a/a_p20261101.csv.gz')).rejects.toThrow('No archive at');
  });

  test('a body that fails midway leaves no file behind, not even a partial one', async () => {
    const store = new FilesystemArchiveStore(`${root}/failing`);
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('half of it');
      throw new Error('source died');
    }
    await expect(store.put('t/x.csv.gz', broken())).rejects.toThrow('source died');
    expect(await store.list('')).toEqual([]);
    expect(await readdir(`${root}/failing/t`)).toEqual([]);
  });

  test('refuses keys that would leave the root', async () => {
    const store = new FilesystemArchiveStore(`${root}/keys`);
    await expect(store.put('../escape.csv.gz', bytes('x'))).rejects.toThrow('must be relative segments');
    await expect(store.get('a//b')).rejects.toThrow('must be relative segments');
  });
});

describe.each(['csv', 'ndjson'] as const)('a partition archived as %s on the filesystem', (format) => {
  test('reads back as exactly the rows it held, for every column type', async () => {
    const table = `typed_${format}`;
    await ctx.pool.query(`
      CREATE TABLE ${table} (
        id bigint NOT NULL, happened_at timestamptz NOT NULL, local_time timestamp, day date, amount numeric(12, 4),
        ratio double precision, flag boolean, tags text[], payload jsonb, blob bytea, span interval, note text
      ) PARTITION BY RANGE (happened_at)`);
    const policy = definePartitionPolicy({
      table,
      column: 'happened_at',
      interval: 'day',
      premake: 1,
      hotRetention: { days: 1 },
      archive: { store: new FilesystemArchiveStore(`${root}/round-trip`), format },
    });
    const maintainer = new PartitionMaintainer(ctx.pool, { now: () => now });
    await maintainer.ensurePartitions(policy, { from: startOfUtcDay(now, -3) });
    await ctx.pool.query(
      `INSERT INTO ${table}
       SELECT i, $1::timestamptz + i * interval '7 minutes', '2026-01-02 03:04:05.678', date '2024-02-29' - i, i * 1.2345,
              CASE WHEN i % 3 = 0 THEN 0.1 + i ELSE 'NaN' END, i % 2 = 0, ARRAY['a,b', 'c"d', NULL],
              jsonb_build_object('i', i, 'text', E'line\\nbreak'), decode('00ff10', 'hex'), make_interval(days => i, secs => 1.5),
              CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN E'tab\\tcomma, "quote"\\r\\nnewline' ELSE 'ünïcødé 🚑' END
         FROM generate_series(0, 999) AS i`,
      [startOfUtcDay(now, -3)],
    );
    const expected = await readRawRows(
      ctx.pool,
      `SELECT * FROM ${table} WHERE happened_at < $1 ORDER BY id`,
      [startOfUtcDay(now, -1)],
    );

    const report = await maintainer.applyRetention(policy);

    const archived: ArchivedRow[] = [];
    for (const retired of report.retired)
      for await (const row of readArchive(policy.archive!.store, retired.archiveKey!)) archived.push(row);
    archived.sort((a, b) => Number(a.id) - Number(b.id));
    expect(report.retired.map((retired) => retired.archiveKey)).toEqual(
      [-3, -2].map(
        (offset) =>
          `public.${table}/${table}_p${startOfUtcDay(now, offset).toISOString().slice(0, 10).replaceAll('-', '')}.${format}.gz`,
      ),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(archived).toEqual(expected);
  });
});
