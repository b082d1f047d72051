import { spawn } from 'node:child_process';
import pg from 'pg';
import { createIsolatedContext, useTestContext, waitUntil } from '@remedy/testing';
import { backgroundDropsSettled, DatabaseAdmin } from '../src/database/database-admin.js';

const REGISTER = new URL('../../../scripts/register.js', import.meta.url).pathname;
const BACKGROUND_DROP_CHILD = new URL('./support/background-drop.child.ts', import.meta.url).pathname;

const migrate = async (databaseUrl: string): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE TABLE widget (id int PRIMARY KEY, name text NOT NULL)');
  await client.end();
};

describe('useTestContext', () => {
  const ctx = useTestContext({ name: 'harness-self', migrate });
  // Stands for an app the file starts and closes in its own afterAll, declared after useTestContext as they are.
  let app: pg.Client;
  beforeAll(async () => {
    app = new pg.Client({ connectionString: ctx.databaseUrl });
    await app.connect();
  });
  afterAll(async () => {
    // Still connected: the context drops the database only after the file's last hook.
    await app.query('SELECT 1');
    await app.end();
  });

  it('gives the file its own database cloned from the migrated template', async () => {
    expect(ctx.databaseUrl).toMatch(/remedy_test_harness_self_/);
    await ctx.pool.query("INSERT INTO widget VALUES (1, 'a')");
    const { rows } = await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM widget');
    expect(rows[0]?.n).toBe(1);
  });

  it('namespaces Redis keys with a prefix that is removed on dispose, and drops its database', async () => {
    const other = await createIsolatedContext({ name: 'harness-self', migrate });
    await other.redis.set(other.key('k'), 'v');
    expect(other.prefix).not.toBe(ctx.prefix);
    expect(await ctx.redis.get(other.key('k'))).toBe('v');
    const otherDatabase = other.databaseUrl;
    await other.dispose();
    expect(await ctx.redis.exists(other.key('k'))).toBe(0);
    // The database goes in the background, off the next test's path.
    await backgroundDropsSettled();
    const dbName = new URL(otherDatabase).pathname.slice(1);
    const { rowCount } = await ctx.pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    expect(rowCount).toBe(0);
  });

  it('clones a seeded template: the seed runs once per run, each clone starts with its rows', async () => {
    let seeds = 0;
    const seed = {
      name: 'one widget',
      seed: async (pool: pg.Pool) => {
        seeds += 1;
        await pool.query("INSERT INTO widget VALUES (1, 'seeded')");
      },
    };
    const first = await createIsolatedContext({ name: 'harness-self', migrate }, { seed });
    const second = await createIsolatedContext({ name: 'harness-self', migrate }, { seed });
    const widgets = async (context: { pool: pg.Pool }): Promise<number> =>
      (await context.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM widget')).rows[0]!.n;
    try {
      await first.pool.query("INSERT INTO widget VALUES (2, 'first only')");
      expect(await widgets(first)).toBe(2);
      expect(await widgets(second)).toBe(1);
      expect(await widgets(ctx)).toBe(1); // the file's own context: the package template, unseeded
      expect(seeds).toBe(1);
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it('clones see the template, not each other', async () => {
    const other = await createIsolatedContext({ name: 'harness-self', migrate });
    try {
      const { rows } = await other.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM widget');
      expect(rows[0]?.n).toBe(0);
    } finally {
      await other.dispose();
    }
  });

  it('lets a process exit while its background drop still waits on the server, and the drop still happens', async () => {
    const database = `remedy_test_background_drop_${process.pid}`;
    const admin = new DatabaseAdmin(ctx.databaseUrl);
    await admin.create(database);
    // Holds the database's catalogue row, so the DROP waits on the lock (as it waits on a slow checkpoint).
    const holder = new pg.Client({ connectionString: ctx.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM pg_database WHERE datname = $1 FOR UPDATE', [database]);
      const child = spawn(
        process.execPath,
        ['--import', REGISTER, BACKGROUND_DROP_CHILD, ctx.databaseUrl, database],
        {
          stdio: 'inherit',
        },
      );
      await waitUntil('the process to exit with its drop pending', () => child.exitCode !== null, 20_000);
      expect(child.exitCode).toBe(0);
      const waiting = await holder.query(
        "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'DROP DATABASE%' AND query LIKE $1 AND wait_event_type = 'Lock'",
        [`%${database}%`],
      );
      expect(waiting.rowCount).toBe(1);
      await holder.query('COMMIT');
      await waitUntil('the database dropped without its client', async () => !(await admin.exists(database)));
    } finally {
      await holder.end();
      await admin.drop(database);
    }
  });

  it('holds a process that waits for its background drops until they settled', async () => {
    const database = `remedy_test_awaited_drop_${process.pid}`;
    const admin = new DatabaseAdmin(ctx.databaseUrl);
    await admin.create(database);
    const holder = new pg.Client({ connectionString: ctx.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM pg_database WHERE datname = $1 FOR UPDATE', [database]);
      const child = spawn(
        process.execPath,
        ['--import', REGISTER, BACKGROUND_DROP_CHILD, ctx.databaseUrl, database, 'await'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      // Polled outside the holder's transaction, which would see one snapshot of pg_stat_activity throughout.
      await waitUntil('the DROP waiting on the lock', async () => {
        if (child.exitCode !== null) throw new Error(`the child exited early (${child.exitCode}): ${output}`);
        const waiting = await ctx.pool.query(
          "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'DROP DATABASE%' AND query LIKE $1 AND wait_event_type = 'Lock'",
          [`%${database}%`],
        );
        return waiting.rowCount === 1;
      });
      await holder.query('COMMIT');
      await waitUntil('the process to exit', () => child.exitCode !== null, 20_000);
      expect({ exitCode: child.exitCode, output }).toEqual({ exitCode: 0, output: 'drops settled\n' });
    } finally {
      await holder.end();
      await admin.drop(database);
    }
  });
});
