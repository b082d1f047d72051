import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Inject, Module, Param, Post } from '@nestjs/common';
import { createPgPool, type PgPool } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { Queue, Worker } from 'bullmq';
import {
  METRICS_REGISTRY,
  ObservabilityModule,
  registerQueueMetrics,
  WebSocketMetrics,
} from '../src/index.js';
import { bullmqConnection } from './support/bullmq-connection.js';
import { deferred } from './support/deferred.js';
import { LogCapture } from './support/log-capture.js';
import { parseSamples, sampleValue, type Sample } from './support/prometheus-text.js';
import { startApp, type RunningApp } from './support/test-app.js';

const POOL = Symbol('POOL');
const SERVICE = 'metrics-test';

@Controller('events')
class EventsController {
  constructor(@Inject(POOL) private readonly pool: PgPool) {}

  @Get(':id')
  async find(@Param('id') id: string): Promise<unknown> {
    const result = await this.pool.query('SELECT $1::text AS id', [id]);
    return result.rows[0];
  }

  @Post(':id/registrations')
  async register(@Param('id') id: string): Promise<unknown> {
    const result = await this.pool.query(
      'WITH picked AS (SELECT $1::text AS id) INSERT INTO registrations (event_id) SELECT id FROM picked RETURNING event_id',
      [id],
    );
    return result.rows[0];
  }

  @Get(':id/slow')
  async slow(@Param('id') id: string): Promise<unknown> {
    await this.pool.query(`SELECT pg_sleep(0.12), 'secret-${id}' AS tag`);
    return { id };
  }
}

describe('/metrics', () => {
  const ctx = useTestContext({ name: 'observability' });
  const logs = new LogCapture();
  let pool: PgPool;
  let idle: Queue;
  let busy: Queue;
  let worker: Worker;
  let running: RunningApp;
  const release = deferred();

  beforeAll(async () => {
    pool = createPgPool({
      name: 'main',
      connectionString: ctx.databaseUrl,
      max: 4,
      connectionTimeoutMillis: 2000,
      statementTimeoutMs: 5000,
      idleInTransactionSessionTimeoutMs: 5000,
    });
    await pool.query('CREATE TABLE registrations (id serial PRIMARY KEY, event_id text NOT NULL)');
    const connection = bullmqConnection(ctx.redisUrl);
    idle = new Queue('idle', { connection, prefix: ctx.prefix });
    busy = new Queue('busy', { connection, prefix: ctx.prefix });

    @Module({ controllers: [EventsController], providers: [{ provide: POOL, useValue: pool }] })
    class EventsModule {}

    @Module({
      imports: [
        ObservabilityModule.forRoot({
          serviceName: SERVICE,
          pools: [pool],
          queues: [idle],
          slowQueryMs: 100,
          logDestination: logs,
        }),
        EventsModule,
      ],
    })
    class AppModule {}

    running = await startApp(AppModule);
    registerQueueMetrics(running.app.get(METRICS_REGISTRY), [busy]);

    const failed = deferred();
    const active = deferred();
    worker = new Worker(
      'busy',
      async (job) => {
        if (job.name === 'fail') throw new Error('expected failure');
        active.resolve();
        await release.promise;
      },
      { connection, prefix: ctx.prefix, concurrency: 2 },
    );
    worker.on('failed', () => failed.resolve());
    await idle.addBulk([1, 2, 3].map((n) => ({ name: 'wait', data: { n } })));
    await idle.addBulk([1, 2].map((n) => ({ name: 'later', data: { n }, opts: { delay: 60_000 } })));
    await busy.add('fail', {}, { attempts: 1 });
    await busy.add('hold', {}, { attempts: 1 });
    await Promise.all([failed.promise, active.promise]);
  });

  afterAll(async () => {
    release.resolve();
    await worker?.close();
    await Promise.all([idle?.close(), busy?.close()]);
    await running?.close();
    await pool?.end();
  });

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${running.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parseSamples(await response.text());
  }

  it('labels the HTTP histogram with the route template, never the raw URL', async () => {
    for (const id of ['1', '2', '3']) expect((await fetch(`${running.url}/events/${id}`)).status).toBe(200);
    expect((await fetch(`${running.url}/no/such/page-42`)).status).toBe(404);

    const samples = await scrape();
    const count = (labels: Record<string, string>): number | undefined =>
      sampleValue(samples, 'http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/events/:id', status_code: '200', service: SERVICE })).toBe(3);
    expect(count({ method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    const routes = new Set(
      samples.filter((s) => s.name.startsWith('http_request_duration_seconds')).map((s) => s.labels['route']),
    );
    expect([...routes].sort()).toEqual(['/events/:id', 'unmatched']);
  });

  it('counts statements of a pooling pool by pool and statement kind', async () => {
    const before = await scrape();
    const selects = (samples: Sample[]): number =>
      sampleValue(samples, 'db_query_duration_seconds_count', { pool: 'main', kind: 'select' }) ?? 0;
    const inserts = (samples: Sample[]): number =>
      sampleValue(samples, 'db_query_duration_seconds_count', { pool: 'main', kind: 'insert' }) ?? 0;

    for (const id of ['a', 'b']) expect((await fetch(`${running.url}/events/${id}`)).status).toBe(200);
    expect((await fetch(`${running.url}/events/a/registrations`, { method: 'POST' })).status).toBe(201);

    const after = await scrape();
    expect(selects(after) - selects(before)).toBe(2);
    expect(inserts(after) - inserts(before)).toBe(1);
    expect(
      after.some(
        (s) =>
          s.name.startsWith('db_query_duration_seconds') &&
          Object.values(s.labels).some((v) => v.includes('SELECT')),
      ),
    ).toBe(false);
    expect(sampleValue(after, 'db_pool_max_connections', { pool: 'main' })).toBe(4);
  });

  it('logs slow statements with normalised SQL and the request ID', async () => {
    const response = await fetch(`${running.url}/events/7/slow`);
    expect(response.status).toBe(200);
    // This request's lines only: on a loaded machine an earlier test's ordinary statement can pass 100 ms too.
    const requestId = response.headers.get('x-request-id');
    const slow = logs.withMessage('slow query').filter((line) => line.requestId === requestId);
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({
      level: 'warn',
      pool: 'main',
      kind: 'select',
      sql: 'SELECT pg_sleep(?), ? AS tag',
    });
    expect(JSON.stringify(slow[0])).not.toContain('secret-7');
  });

  it('exports queue gauges equal to the real job counts', async () => {
    const samples = await scrape();
    const gauge = (queue: string, state: string): number | undefined =>
      sampleValue(samples, 'queue_jobs', { queue, state });
    expect({
      waiting: gauge('idle', 'waiting'),
      delayed: gauge('idle', 'delayed'),
      active: gauge('idle', 'active'),
      failed: gauge('idle', 'failed'),
    }).toEqual(await idle.getJobCounts('waiting', 'delayed', 'active', 'failed'));
    expect({ waiting: 3, delayed: 2, active: 0, failed: 0 }).toEqual(
      await idle.getJobCounts('waiting', 'delayed', 'active', 'failed'),
    );
    expect({
      active: gauge('busy', 'active'),
      failed: gauge('busy', 'failed'),
      waiting: gauge('busy', 'waiting'),
    }).toEqual({ active: 1, failed: 1, waiting: 0 });
  });

  it('tracks WebSocket connections reported by gateways', async () => {
    const sockets = running.app.get(WebSocketMetrics);
    sockets.connected('chat');
    sockets.connected('chat');
    sockets.connected('presence');
    sockets.disconnected('chat');
    const samples = await scrape();
    expect(sampleValue(samples, 'websocket_connections', { gateway: 'chat' })).toBe(1);
    expect(sampleValue(samples, 'websocket_connections', { gateway: 'presence' })).toBe(1);
  });

  it("exports a room's delivery timings per gateway as histograms in seconds", async () => {
    const timings = running.app.get(WebSocketMetrics).roomDeliveryTimings('chat');
    timings.transit(4);
    timings.frameWait(60);
    timings.frameWait(0);
    timings.fanOut(25);
    const samples = await scrape();
    const count = (name: string) => sampleValue(samples, `${name}_count`, { gateway: 'chat' });
    const sum = (name: string) => sampleValue(samples, `${name}_sum`, { gateway: 'chat' });
    expect(count('websocket_room_message_transit_seconds')).toBe(1);
    expect(sum('websocket_room_message_transit_seconds')).toBeCloseTo(0.004);
    expect(count('websocket_room_frame_wait_seconds')).toBe(2);
    expect(sum('websocket_room_frame_wait_seconds')).toBeCloseTo(0.06);
    expect(count('websocket_room_fanout_seconds')).toBe(1);
    expect(
      sampleValue(samples, 'websocket_room_fanout_seconds_bucket', { gateway: 'chat', le: '0.03' }),
    ).toBe(1);
  });

  it('carries Node default metrics with the service label', async () => {
    const samples = await scrape();
    expect(sampleValue(samples, 'process_cpu_user_seconds_total', { service: SERVICE })).toBeGreaterThan(0);
  });
});
