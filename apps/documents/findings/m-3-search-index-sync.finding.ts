import {
  defineFinding,
  percentile,
  waitForQueuesIdle,
  waitUntil,
  type FindingContext,
} from '@remedy/testing';
import { Queue } from 'bullmq';
import type pg from 'pg';
import { AfterCommitChannelFeed } from '../katas/m-3-search-index-sync.flawed.js';
import { DOCUMENT_SEARCH_QUEUE, DOCUMENT_CHANGED_TOPIC } from '../src/search/document-change.js';
import { DOCUMENT_CHANGE_FEED } from '../src/search/document-change-feed.js';
import { ApiClient } from './support/api-client.js';
import { SEARCH_WORKER_PLUGS, type SearchWorkerIndexer } from './support/search-worker-plugs.js';
import { spawnSearchWorker } from './support/spawn-search-worker.js';
import { startTestWorker, type TestWorker } from './support/start-test-worker.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';

type Flaw = 'unguarded upsert' | 'ack before indexing';

/** Sizes: small, yet every phase leaves several changes in flight with a wide margin. */
const STEADY_CREATES = 20;
const HELD_UPDATES = 10;
const HELD_CREATES = 10;
const HELD_DELETES = 3;
const DOWN_UPDATES = 5;
const DOWN_DELETES = 2;
/** Jobs a worker holds at once; the kill waits until this many upserts wait on the held table. */
const CONCURRENCY = 4;

const WORKER_SETTINGS = {
  SEARCH_INDEXER_CONCURRENCY: String(CONCURRENCY),
  // A dead worker's jobs go back to the queue 1 s after its last heartbeat (30 s in production).
  SEARCH_JOB_LOCK_MS: '1000',
};

/**
 * Documents whose search entry is not their latest committed change: no entry, an older version, or a live
 * entry for a deleted document (a ghost in results).
 */
const UNINDEXED_CHANGES_SQL = `
SELECT (SELECT count(*) FROM documents d LEFT JOIN document_search s ON s.document_id = d.id
         WHERE s.document_id IS NULL OR s.deleted OR s.source_version <> d.version)::int AS "missingOrStale",
       (SELECT count(*) FROM document_search s
         WHERE NOT s.deleted AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.document_id))::int AS ghosts`;

/** Index lag of the entries that hold their document's latest version: change commit → searchable, in ms. */
const INDEX_LAGS_SQL = `
SELECT extract(epoch FROM s.indexed_at - s.source_changed_at) * 1000 AS lag
  FROM document_search s JOIN documents d ON d.id = s.document_id AND d.version = s.source_version`;

export default defineFinding<Flaw>({
  id: 'polyglot-b:M-3',
  title: 'Search index sync undefined: an indexer crash loses the changes it had not applied',
  explanation:
    'The review names a search index but not how changes reach it. Announcing each change after the commit, ' +
    'to an indexer that keeps it in memory, loses every change in flight when the indexer dies and every ' +
    'change made while it is down. Here the change is an outbox row written in the document\u2019s own ' +
    'transaction; a relay moves it to a queue, and a job completes only once its change is in the index, so ' +
    'a killed indexer\u2019s jobs are taken again by the next one. The upsert keeps the newest version, so ' +
    'those repeats, and any late copy of an older change, cannot roll an entry back.',
  fix: [
    'src/search/outbox-document-change-feed.ts',
    'src/search/queued-search-indexer.ts',
    'src/search/document-search.sql.ts',
    'src/migrations/1792000002000-create-document-search.ts',
  ],
  metric: {
    name: 'document changes missing, stale or ghosted in the search index after an indexer kill -9',
    unit: 'documents',
    better: 'lower',
  },
  seam:
    'DOCUMENT_CHANGE_FEED (API, DocumentsService\u2019s writes) and SEARCH_INDEXER (worker process) \u2190 ' +
    'katas/m-3-search-index-sync.flawed.ts (publish after commit on a Redis channel; an in-memory subscriber)',
  flawsPutBack: {
    'unguarded upsert':
      'the indexer\u2019s upsert without `WHERE source_version < EXCLUDED.source_version`: a late copy of an ' +
      'older change overwrites the newer entry (or revives a deleted document)',
    'ack before indexing':
      'the queue consumer completes each job first and applies the change unawaited: the kill loses what it ' +
      'had acknowledged but not written',
  },
  async measure(run, ctx) {
    const indexer: SearchWorkerIndexer = run === 'flawed' ? 'channel' : run === 'remediated' ? 'real' : run;
    const plugs =
      run === 'flawed' ? [{ provide: DOCUMENT_CHANGE_FEED, useClass: AfterCommitChannelFeed }] : [];
    // The indexer that will be killed runs in a process of its own, loaded while the app boots; the one that
    // takes over after the kill runs in this process.
    const appStarting = startTestApp(ctx, {}, { plugs }).then(
      (app) => ({ app }),
      (error: unknown) => ({ error }),
    );
    const [spawned] = await Promise.allSettled([
      spawnSearchWorker({
        databaseUrl: ctx.databaseUrl,
        redisUrl: ctx.redisUrl,
        prefix: ctx.prefix,
        overrides: WORKER_SETTINGS,
        indexer,
      }),
    ]);
    const started = await appStarting;
    if (spawned?.status !== 'fulfilled') {
      if ('app' in started) await started.app.close();
      throw spawned?.reason;
    }
    if (!('app' in started)) {
      await spawned.value.stop();
      throw started.error;
    }
    const { app } = started;
    const first = spawned.value;
    let successor: TestWorker | undefined;
    const queue = new Queue(DOCUMENT_SEARCH_QUEUE, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
    try {
      const writer = await documentWriter(app);
      await first.start();

      // 1. Steady state: creates reach the index; their lag is the number the catalogue asks for.
      const ids = await writer.createMany(STEADY_CREATES, 'steady');
      await waitUntil(
        'the steady creates in the index',
        async () => (await unindexed(ctx.pool)) === 0,
        30_000,
      );
      const steadyLags = await lags(ctx.pool);

      // 2. Hold the index table; write while the indexer's upserts wait on it, then kill -9 the indexer.
      const holder = await ctx.pool.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE document_search IN SHARE MODE');
        const holderPid = await backendPid(holder);
        await writer.updateMany(ids.slice(0, HELD_UPDATES), 'held');
        await writer.createMany(HELD_CREATES, 'held');
        await writer.deleteMany(ids.slice(HELD_UPDATES, HELD_UPDATES + HELD_DELETES));
        await waitUntil(
          `${CONCURRENCY} indexer upserts waiting on the held table`,
          async () => (await lockWaiters(ctx.pool, holderPid)) >= CONCURRENCY,
          30_000,
        );
        await first.kill9();
        // A dead client's statements die with it (what TCP keepalive or client_connection_check_interval
        // does on a lost machine): nothing the killed indexer sent commits later.
        await terminateWorkerBackends(ctx.pool, holderPid);

        // 3. Changes made while no indexer runs.
        const downStart = HELD_UPDATES + HELD_DELETES;
        await writer.updateMany(ids.slice(downStart, downStart + DOWN_UPDATES), 'down');
        await writer.deleteMany(ids.slice(downStart + DOWN_UPDATES, downStart + DOWN_UPDATES + DOWN_DELETES));
        await holder.query('ROLLBACK');
      } finally {
        holder.release();
      }

      // 4. A new indexer settles: every outbox row published and every job done (its stalled ones included).
      successor = await startTestWorker(ctx, WORKER_SETTINGS, SEARCH_WORKER_PLUGS[indexer]);
      await settle(ctx, queue);

      // 5. At-least-once delivery repeats messages, and a retried one can arrive after a newer change: the
      //    oldest change of every document is delivered once more.
      await replayOldestChanges(ctx.pool, queue);
      await settle(ctx, queue);

      const [counts] = (
        await ctx.pool.query<{ missingOrStale: number; ghosts: number }>(UNINDEXED_CHANGES_SQL)
      ).rows;
      const { missingOrStale = 0, ghosts = 0 } = counts ?? {};
      return {
        value: missingOrStale + ghosts,
        details: {
          changes: writer.changes,
          'missing or stale': missingOrStale,
          ghosts,
          'steady lag p95 (ms)': lagP95(steadyLags),
          'lag p95 incl. crash recovery (ms)': lagP95(await lags(ctx.pool)),
        },
      };
    } finally {
      await first.stop();
      await successor?.close();
      await queue.close();
      await app.close();
    }
  },
  flawed: (documents) => documents > 0,
  remediated: (documents) => documents === 0,
  timeoutMs: 120_000,
});

/** Writes documents through the API as an editor, counting the changes it made. */
async function documentWriter(app: TestApp) {
  const api = new ApiClient(app.url);
  const admin = await api.signup('m3_admin@example.com');
  const token = admin.accessToken;
  const writer = {
    changes: 0,
    async createMany(count: number, label: string): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const body = { title: `${label} brief ${i}`, body: `glossary ${label} ${i}: interpreting notes` };
        ids.push((await api.expect<{ id: string }>(201, 'POST', '/documents', body, token)).id);
        writer.changes += 1;
      }
      return ids;
    },
    async updateMany(ids: string[], label: string): Promise<void> {
      for (const id of ids) {
        await api.expect(200, 'PATCH', `/documents/${id}`, { title: `${label} brief`, body: label }, token);
        writer.changes += 1;
      }
    },
    async deleteMany(ids: string[]): Promise<void> {
      for (const id of ids) {
        await api.expect(204, 'DELETE', `/documents/${id}`, undefined, token);
        writer.changes += 1;
      }
    },
  };
  return writer;
}

async function unindexed(pool: pg.Pool): Promise<number> {
  const [row] = (await pool.query<{ missingOrStale: number; ghosts: number }>(UNINDEXED_CHANGES_SQL)).rows;
  return (row?.missingOrStale ?? 0) + (row?.ghosts ?? 0);
}

async function lags(pool: pg.Pool): Promise<number[]> {
  return (await pool.query<{ lag: string }>(INDEX_LAGS_SQL)).rows.map((row) => Number(row.lag));
}

async function backendPid(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0]?.pid ?? -1;
}

/** Sessions of this database waiting on a lock the holder keeps (the indexer's upserts). */
async function lockWaiters(pool: pg.Pool, holderPid: number): Promise<number> {
  const { rows } = await pool.query<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND $1 = ANY(pg_blocking_pids(pid))`,
    [holderPid],
  );
  return rows[0]?.waiting ?? 0;
}

/** Ends the killed worker's sessions (its pools' application names), leaving the API's and the holder's. */
async function terminateWorkerBackends(pool: pg.Pool, holderPid: number): Promise<void> {
  await pool.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1)
        AND application_name IN ('documents-worker', 'documents-search-relay')`,
    [holderPid],
  );
}

/** No outbox row left to publish, and no job waiting, active or delayed. */
async function settle(ctx: FindingContext, queue: Queue): Promise<void> {
  await waitUntil(
    'the outbox relayed',
    async () =>
      (
        await ctx.pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL AND topic = $1 LIMIT 1', [
          DOCUMENT_CHANGED_TOPIC,
        ])
      ).rowCount === 0,
    30_000,
  );
  await waitForQueuesIdle([queue], { timeoutMs: 30_000 });
}

/** Adds each document's first change to the queue again, as a late redelivery would. */
async function replayOldestChanges(pool: pg.Pool, queue: Queue): Promise<void> {
  const { rows } = await pool.query<{ id: string; payload: unknown; headers: unknown }>(
    `SELECT DISTINCT ON (payload->>'documentId') id::text, payload, headers FROM outbox
      WHERE topic = $1 ORDER BY payload->>'documentId', id`,
    [DOCUMENT_CHANGED_TOPIC],
  );
  await queue.addBulk(
    rows.map((row) => ({
      name: DOCUMENT_CHANGED_TOPIC,
      data: { outboxId: row.id, topic: DOCUMENT_CHANGED_TOPIC, payload: row.payload, headers: row.headers },
      opts: { jobId: `replay-${row.id}` },
    })),
  );
}

/** A lag percentile, or why there is none: a run that indexed nothing has no lag (not a NaN in the report). */
function lagP95(lagsMs: number[]): number | string {
  return lagsMs.length === 0 ? 'nothing indexed' : Math.round(percentile(lagsMs, 95));
}
