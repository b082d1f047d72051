import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { createDataSource } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { ObservabilityModule, type HealthOptions } from '../src/index.js';
import { LogCapture } from './support/log-capture.js';
import { startApp, type RunningApp } from './support/test-app.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

async function startWithHealth(health: HealthOptions): Promise<RunningApp> {
  @Module({
    imports: [
      ObservabilityModule.forRoot({ serviceName: 'health-test', health, logDestination: new LogCapture() }),
    ],
  })
  class AppModule {}
  return startApp(AppModule);
}

describe('/health', () => {
  const ctx = useTestContext({ name: 'observability' });
  let unreachable: Redis;
  let healthy: RunningApp;
  let degraded: RunningApp;
  let viaDataSource: RunningApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    // Retrying forever, like a production client during an outage. A short disconnectTimeout because
    // ioredis arms a timer on disconnect for a socket that already closed, which would hold jest open.
    unreachable = new Redis({
      host: '127.0.0.1',
      port: await closedPort(),
      retryStrategy: () => 100,
      disconnectTimeout: 10,
    });
    unreachable.on('error', () => undefined);
    // The deadlines time the checks' round trips, not the opening of the pool's first connection to a new
    // database (slow on a loaded machine): open it, and Redis's, before any check runs. The degraded app's
    // deadline also ends its wait for the unreachable Redis, hence shorter; both are far above a SELECT 1 or a
    // PING on an open connection.
    await ctx.pool.query('SELECT 1');
    await ctx.redis.ping();
    healthy = await startWithHealth({ postgres: ctx.pool, redis: [ctx.redis], timeoutMs: 5_000 });
    degraded = await startWithHealth({
      postgres: ctx.pool,
      redis: [ctx.redis, unreachable],
      timeoutMs: 2_000,
    });

    dataSource = await createDataSource({
      name: 'health',
      connectionString: ctx.databaseUrl,
      entities: [],
      max: 2,
      connectionTimeoutMillis: 2000,
      statementTimeoutMs: 5000,
      idleInTransactionSessionTimeoutMs: 5000,
    }).initialize();
    const DATA_SOURCE = Symbol('DATA_SOURCE');
    @Module({ providers: [{ provide: DATA_SOURCE, useValue: dataSource }], exports: [DATA_SOURCE] })
    class DatabaseModule {}
    @Module({
      imports: [
        ObservabilityModule.forRootAsync({
          imports: [DatabaseModule],
          inject: [DATA_SOURCE],
          useFactory: (source: DataSource) => ({
            serviceName: 'health-test',
            health: { postgres: source },
            logDestination: new LogCapture(),
          }),
        }),
      ],
    })
    class AsyncAppModule {}
    viaDataSource = await startApp(AsyncAppModule);
  });

  afterAll(async () => {
    await healthy?.close();
    await degraded?.close();
    await viaDataSource?.close();
    await dataSource?.destroy();
    unreachable?.disconnect();
  });

  it('answers 200 when Postgres and Redis answer', async () => {
    const response = await fetch(`${healthy.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('answers 503 naming the dependency that is down', async () => {
    const response = await fetch(`${degraded.url}/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as {
      status: string;
      info: Record<string, unknown>;
      error: Record<string, { status: string; message: string }>;
    };
    expect(body.status).toBe('error');
    expect(Object.keys(body.error)).toEqual(['redis-2']);
    expect(body.error['redis-2']).toMatchObject({
      status: 'down',
      message: expect.stringMatching(/connection is reconnecting|timeout/),
    });
    expect(body.info).toMatchObject({ postgres: { status: 'up' }, 'redis-1': { status: 'up' } });
  });

  it('keeps liveness at 200 while a dependency is down', async () => {
    const response = await fetch(`${degraded.url}/health/live`);
    expect(response.status).toBe(200);
  });

  it('checks a TypeORM DataSource given through forRootAsync', async () => {
    const response = await fetch(`${viaDataSource.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' } } });
  });
});
