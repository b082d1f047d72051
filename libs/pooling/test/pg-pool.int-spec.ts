import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { useTestContext } from '@remedy/testing';
import suite from '../findings/index.js';
import {
  createPgPool,
  PoolExhaustedError,
  queryEvents,
  registerPoolMetrics,
  type PgPool,
  type QueryEvent,
} from '../src/index.js';
import { heldOpenProxy, type HeldOpenProxy } from './support/held-open-proxy.js';
import { testPoolSettings } from './support/test-pool-settings.js';

const ctx = useTestContext(suite);

describe('createPgPool', () => {
  const pools: PgPool[] = [];
  const pool = (overrides: Parameters<typeof testPoolSettings>[1]): PgPool => {
    const created = createPgPool(testPoolSettings(ctx.databaseUrl, overrides));
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((created) => created.end()));
  });

  test('an exhausted pool fails after connectionTimeoutMillis with PoolExhaustedError', async () => {
    const events = pool({
      name: 'events',
      max: 2,
      connectionTimeoutMillis: 300,
    });
    const held = await Promise.all([events.connect(), events.connect()]);

    const startedAt = performance.now();
    const waiting = events.query('SELECT 1');
    expect(events.waitingCount).toBe(1);
    const error: unknown = await waiting.catch((rejection: unknown) => rejection);
    const waitedMs = performance.now() - startedAt;

    expect(error).toBeInstanceOf(PoolExhaustedError);
    expect((error as PoolExhaustedError).message).toBe(
      "pool 'events' exhausted: all 2 connections busy for 300 ms",
    );
    expect(waitedMs).toBeGreaterThanOrEqual(250);
    await expect(events.connect()).rejects.toBeInstanceOf(PoolExhaustedError);

    held.forEach((client) => client.release());
    await expect(events.query('SELECT 1 AS ok')).resolves.toMatchObject({
      rows: [{ ok: 1 }],
    });
  });

  describe('opening a connection has a deadline of its own', () => {
    let proxy: HeldOpenProxy;
    beforeEach(async () => {
      proxy = await heldOpenProxy(ctx.databaseUrl);
    });
    afterEach(async () => {
      await proxy.close();
    });

    test('a server slow to open a session is not an exhausted pool', async () => {
      const starting = pool({ name: 'starting', connectionString: proxy.url, connectionTimeoutMillis: 50 });
      const first = starting.query('SELECT 1 AS ok');
      await proxy.accepted;
      // The opening is held for 20 times the wait deadline; pg-pool alone would cut it at 50 ms.
      await sleep(1_000);
      proxy.release();

      await expect(first).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    });

    test('an opening that never completes still fails, after newConnectionTimeoutMillis', async () => {
      const stuck = pool({ name: 'stuck', connectionString: proxy.url, newConnectionTimeoutMillis: 100 });
      await expect(stuck.query('SELECT 1')).rejects.toThrow(
        'Connection terminated due to connection timeout',
      );
    });
  });

  test('session settings travel as startup parameters and apply server-side', async () => {
    const reporting = pool({
      name: 'reporting',
      applicationName: 'reporting-api',
      statementTimeoutMs: 1_500,
      idleInTransactionSessionTimeoutMs: 2_500,
    });
    const { rows } = await reporting.query<{
      app: string;
      statement: string;
      idle: string;
    }>(
      `SELECT current_setting('application_name') AS app,
              current_setting('statement_timeout') AS statement,
              current_setting('idle_in_transaction_session_timeout') AS idle`,
    );
    expect(rows[0]).toEqual({
      app: 'reporting-api',
      statement: '1500ms',
      idle: '2500ms',
    });
  });

  test('statement_timeout cancels a runaway statement', async () => {
    const guarded = pool({ name: 'guarded', statementTimeoutMs: 200 });
    const startedAt = performance.now();
    const error = await guarded.query('SELECT pg_sleep(10)').catch((rejection: unknown) => rejection);
    expect(error).toMatchObject({ code: '57014' });
    // Cancelled long before the 10 s the statement asked for.
    expect(performance.now() - startedAt).toBeLessThan(5_000);
  });

  test('idle_in_transaction_session_timeout ends a session left idle inside a transaction', async () => {
    const forgetful = pool({
      name: 'forgetful',
      idleInTransactionSessionTimeoutMs: 200,
    });
    const client = await forgetful.connect();
    const terminated = new Promise<Error>((resolve) => client.once('error', resolve));
    // BEGIN alone leaves the session idle in a transaction: no second statement whose sending could come
    // after the 200 ms on a loaded machine.
    await client.query('BEGIN');

    const error = await terminated;
    await expect(client.query('SELECT 2')).rejects.toThrow();
    client.release(error);

    expect(error.message).toMatch(/idle-in-transaction timeout/i);
  });

  test('a checked-out connection the server terminates fails its holder, not the process', async () => {
    const holding = pool({ name: 'holding' });
    const client = await holding.connect();
    await client.query('BEGIN');
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // No listener of the test's own: an unheard 'error' event would fail this file as an unhandled error.
    const ended = new Promise<void>((resolve) => client.once('end', resolve));
    await ctx.pool.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    await ended;

    await expect(client.query('COMMIT')).rejects.toThrow();
    client.release(true);
    expect(holding.totalCount).toBe(0);
  });

  test('every statement publishes one query event labelled with the pool', async () => {
    const labelled = pool({ name: 'labelled' });
    const seen: QueryEvent[] = [];
    const unsubscribe = queryEvents.subscribe((event) => seen.push(event));
    try {
      await labelled.query('SELECT 1');
      const client = await labelled.connect();
      await client.query({ text: 'SELECT $1::int AS n', values: [2] });
      await new Promise<void>((resolve, reject) => {
        client.query('SELECT 3', (error) => (error ? reject(error) : resolve()));
      });
      client.release();
      await labelled.query('SELECT * FROM no_such_table').catch(() => undefined);
    } finally {
      unsubscribe();
    }
    await labelled.query('SELECT 4');

    expect(seen.map(({ sql, failed, pool: name }) => ({ sql, failed, pool: name }))).toEqual([
      { sql: 'SELECT 1', failed: false, pool: 'labelled' },
      { sql: 'SELECT $1::int AS n', failed: false, pool: 'labelled' },
      { sql: 'SELECT 3', failed: false, pool: 'labelled' },
      { sql: 'SELECT * FROM no_such_table', failed: true, pool: 'labelled' },
    ]);
    expect(seen.every((event) => event.durationMs >= 0)).toBe(true);
  });

  test('pool gauges report open, idle and waiting connections on scrape', async () => {
    const watched = pool({ name: 'watched', max: 1 });
    const registry = new Registry();
    const unregister = registerPoolMetrics(registry, watched);

    const client = await watched.connect();
    const queued = watched.query('SELECT 1');
    const busy = await registry.metrics();
    client.release();
    await queued;
    const settled = await registry.metrics();
    unregister();
    const removed = await registry.metrics();

    expect(busy).toContain('db_pool_connections{pool="watched"} 1');
    expect(busy).toContain('db_pool_idle_connections{pool="watched"} 0');
    expect(busy).toContain('db_pool_waiting_requests{pool="watched"} 1');
    expect(busy).toContain('db_pool_max_connections{pool="watched"} 1');
    expect(settled).toContain('db_pool_idle_connections{pool="watched"} 1');
    expect(settled).toContain('db_pool_waiting_requests{pool="watched"} 0');
    expect(removed).not.toContain('pool="watched"');
  });
});
