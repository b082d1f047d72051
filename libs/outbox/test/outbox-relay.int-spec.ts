import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { outboxHarness } from '../findings/outbox-harness.js';
import {
  OutboxRelay,
  writeOutboxMessage,
  writeOutboxMessages,
  type OutboxRelayOptions,
} from '../src/index.js';
import { RecordingPublisher } from './support/recording-publisher.js';

const ctx = useTestContext(outboxHarness);
const relays: OutboxRelay[] = [];
const relayErrors: unknown[] = [];

function trackedRelay(options: Omit<OutboxRelayOptions, 'pool'>): OutboxRelay {
  const relay = new OutboxRelay({ pool: ctx.pool, onError: (error) => relayErrors.push(error), ...options });
  relays.push(relay);
  return relay;
}

async function unpublishedCount(): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  return rows[0]?.n ?? -1;
}

beforeEach(async () => {
  await ctx.pool.query('TRUNCATE outbox');
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  expect(relayErrors.splice(0)).toEqual([]);
});

describe('OutboxRelay', () => {
  test('two relays in parallel publish every message exactly once (SKIP LOCKED)', async () => {
    await writeOutboxMessages(
      ctx.pool,
      Array.from({ length: 600 }, (_, i) => ({ topic: 'parallel', payload: { i } })),
    );
    const first = new RecordingPublisher();
    const second = new RecordingPublisher();
    first.delayMs = 5;
    second.delayMs = 5;
    const relayA = trackedRelay({ publisher: first, batchSize: 25, pollIntervalMs: 50 });
    const relayB = trackedRelay({ publisher: second, batchSize: 25, pollIntervalMs: 50 });
    await Promise.all([relayA.start(), relayB.start()]);
    await waitUntil('all 600 rows published', async () => (await unpublishedCount()) === 0);
    const ids = [...first.published, ...second.published].map((r) => r.id);
    expect(ids).toHaveLength(600);
    expect(new Set(ids).size).toBe(600);
    expect(first.published.length).toBeGreaterThan(0);
    expect(second.published.length).toBeGreaterThan(0);
  });

  test('a failed publish is retried with exponential backoff and its error recorded', async () => {
    const publisher = new RecordingPublisher();
    publisher.failWith = (record) => (record.topic === 'flaky' ? 'broker unavailable' : undefined);
    const relay = new OutboxRelay({
      pool: ctx.pool,
      publisher,
      listen: false,
      retry: { baseDelayMs: 60_000, maxDelayMs: 600_000 },
    });
    const [flaky, healthy] = await writeOutboxMessages(ctx.pool, [
      { topic: 'flaky', payload: {} },
      { topic: 'healthy', payload: {} },
    ]);

    expect(await relay.processBatch()).toEqual({ claimed: 2, published: 1, failed: 1 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const { rows } = await ctx.pool.query<{
        attempts: number;
        last_error: string;
        delay_s: number;
        published: boolean;
      }>(
        `SELECT attempts, last_error, EXTRACT(EPOCH FROM available_at - now())::float8 AS delay_s, published_at IS NOT NULL AS published
         FROM outbox WHERE id = $1`,
        [flaky],
      );
      expect(rows[0]).toMatchObject({
        attempts: attempt,
        last_error: 'broker unavailable',
        published: false,
      });
      delays.push(rows[0]?.delay_s ?? 0);
      // Not due yet: the relay must leave it alone.
      expect((await relay.processBatch()).claimed).toBe(0);
      await ctx.pool.query('UPDATE outbox SET available_at = now() WHERE id = $1', [flaky]);
      await relay.processBatch();
    }
    // 60 s, 120 s, 240 s, 480 s: each delay doubles the previous (within the seconds the test itself took).
    expect(delays[0]).toBeGreaterThan(55);
    expect(delays[0]).toBeLessThanOrEqual(60);
    expect(delays[1]).toBeGreaterThan(115);
    expect(delays[2]).toBeGreaterThan(235);

    publisher.failWith = undefined;
    await ctx.pool.query('UPDATE outbox SET available_at = now() WHERE id = $1', [flaky]);
    expect(await relay.processBatch()).toEqual({ claimed: 1, published: 1, failed: 0 });
    expect(publisher.published.map((r) => r.id)).toEqual([healthy, flaky]);
    expect(publisher.published[1]?.attempts).toBe(4);
  });

  test('a publisher that throws or hangs counts as a failure of the whole batch', async () => {
    const hanging = { publish: () => new Promise<never>(() => undefined) };
    const relay = new OutboxRelay({
      pool: ctx.pool,
      publisher: hanging,
      listen: false,
      publishTimeoutMs: 50,
    });
    await writeOutboxMessages(ctx.pool, [
      { topic: 'x', payload: {} },
      { topic: 'y', payload: {} },
    ]);
    expect(await relay.processBatch()).toEqual({ claimed: 2, published: 0, failed: 2 });
    const { rows } = await ctx.pool.query<{ last_error: string }>('SELECT DISTINCT last_error FROM outbox');
    expect(rows).toEqual([{ last_error: 'publish timed out after 50 ms' }]);
  });

  test('a NOTIFY from the writer wakes the relay long before its poll interval', async () => {
    const publisher = new RecordingPublisher();
    const relay = trackedRelay({ publisher, pollIntervalMs: 600_000 });
    await relay.start();
    // The first pass ran at start and found nothing; only a notification can bring the relay back.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const client = await ctx.pool.connect();
    try {
      await client.query('BEGIN');
      const id = await writeOutboxMessage(client, { topic: 'wake', payload: {} });
      await client.query('COMMIT');
      await waitUntil('the notified relay to publish', () => publisher.published.some((r) => r.id === id));
    } finally {
      client.release();
    }
  });

  test('survives losing its LISTEN connection: reports it, reconnects and keeps publishing', async () => {
    const publisher = new RecordingPublisher();
    const errors: unknown[] = [];
    const relay = new OutboxRelay({
      pool: ctx.pool,
      publisher,
      pollIntervalMs: 100,
      onError: (e) => errors.push(e),
    });
    const listenerPids = async (): Promise<number[]> => {
      const { rows } = await ctx.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN outbox_message'`,
      );
      return rows.map((r) => r.pid);
    };
    await relay.start();
    try {
      const [first] = await listenerPids();
      await ctx.pool.query('SELECT pg_terminate_backend($1)', [first]);
      await waitUntil('a new LISTEN connection', async () => {
        const pids = await listenerPids();
        return pids.length === 1 && pids[0] !== first;
      });
      expect(errors.length).toBeGreaterThan(0);
      const id = await writeOutboxMessage(ctx.pool, { topic: 'after-reconnect', payload: {} });
      await waitUntil('the message written after the reconnect', () =>
        publisher.published.some((r) => r.id === id),
      );
    } finally {
      await relay.stop();
    }
    expect(await listenerPids()).toEqual([]);
  });

  test('stop() lets the batch in flight commit, and the relay then holds no connection', async () => {
    const publisher = new RecordingPublisher();
    publisher.delayMs = 300;
    const published: number[] = [];
    const relay = new OutboxRelay({
      pool: ctx.pool,
      publisher,
      batchSize: 10,
      metrics: { published: (n) => published.push(n) },
    });
    await writeOutboxMessages(
      ctx.pool,
      Array.from({ length: 30 }, (_, i) => ({ topic: 'drain', payload: { i } })),
    );
    await relay.start();
    await waitUntil('the first batch to reach the publisher', () => publisher.calls > 0);
    await relay.stop();
    expect(publisher.published).toHaveLength(10);
    expect(published).toEqual([10]);
    expect(await unpublishedCount()).toBe(20);
    expect(ctx.pool.totalCount - ctx.pool.idleCount).toBe(0);
  });

  test('reports published counts and the lag of the oldest unpublished row', async () => {
    const lags: number[] = [];
    let published = 0;
    const publisher = new RecordingPublisher();
    publisher.failWith = (record) => (record.topic === 'stuck' ? 'rejected' : undefined);
    await writeOutboxMessages(ctx.pool, [
      { topic: 'stuck', payload: {} },
      { topic: 'fine', payload: {} },
    ]);
    await ctx.pool.query(`UPDATE outbox SET created_at = now() - interval '90 seconds'`);
    const relay = trackedRelay({
      publisher,
      metrics: { published: (n) => (published += n), lag: (s) => lags.push(s) },
    });
    await relay.start();
    await waitUntil('a lag sample', () => lags.length > 0);
    expect(published).toBe(1);
    expect(lags[0]).toBeGreaterThanOrEqual(90);
  });
});
