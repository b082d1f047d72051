import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Inject, Logger, Module, Param, Post } from '@nestjs/common';
import { useTestContext } from '@remedy/testing';
import { Queue, Worker } from 'bullmq';
import {
  bindCorrelation,
  CORRELATION_KEY,
  LOGGER,
  ObservabilityModule,
  runJobWithCorrelation,
  withCorrelationHeaders,
  type PinoLogger,
} from '../src/index.js';
import { bullmqConnection } from './support/bullmq-connection.js';
import { deferred } from './support/deferred.js';
import { LogCapture, type LogLine } from './support/log-capture.js';
import { startApp, type RunningApp } from './support/test-app.js';

const QUEUE = Symbol('QUEUE');

@Controller('orders')
class OrdersController {
  private readonly nestLogger = new Logger(OrdersController.name);

  constructor(
    @Inject(LOGGER) private readonly logger: PinoLogger,
    @Inject(QUEUE) private readonly queue: Queue,
  ) {}

  @Get(':id')
  async find(@Param('id') id: string): Promise<{ id: string }> {
    bindCorrelation({ orderId: id });
    this.logger.info('loading order');
    await this.loadLines(id);
    this.nestLogger.log('order loaded');
    await this.queue.add('confirm', withCorrelationHeaders({ orderId: id }));
    return { id };
  }

  @Post()
  async create(@Body() body: { id: string }): Promise<{ id: string }> {
    bindCorrelation({ orderId: body.id });
    await sleep(Number(body.id) % 5);
    this.logger.info('creating order');
    return { id: body.id };
  }

  @Get(':id/export')
  export(@Param('id') id: string): string {
    bindCorrelation({ orderId: id });
    return 'x'.repeat(8 * 1024 * 1024);
  }

  @Get(':id/broken')
  broken(@Param('id') id: string): never {
    bindCorrelation({ orderId: id });
    throw new Error(`order ${id} is corrupt`);
  }

  private async loadLines(id: string): Promise<void> {
    await sleep(5);
    this.logger.info({ orderId: id }, 'inside async call');
  }
}

/** A POST whose body reaches the server well after its headers, as from a slow client. */
async function postWithLateBody(url: string, body: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.headers['x-request-id'] as string | undefined));
      },
    );
    outgoing.on('error', reject);
    outgoing.flushHeaders();
    setTimeout(() => outgoing.end(body), 30);
  });
}

/** A GET whose client reads the response only after a pause, so the server finishes it from socket callbacks. */
async function getWithSlowReader(url: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, (response) => {
      response.pause();
      setTimeout(() => {
        response.resume();
        response.on('end', () => resolve(response.headers['x-request-id'] as string | undefined));
      }, 50);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('correlation IDs in logs', () => {
  const ctx = useTestContext({ name: 'observability' });
  const logs = new LogCapture();
  const processed = deferred<unknown>();
  let queue: Queue;
  let worker: Worker;
  let running: RunningApp;

  beforeAll(async () => {
    const connection = bullmqConnection(ctx.redisUrl);
    queue = new Queue('confirmations', { connection, prefix: ctx.prefix });

    @Module({
      imports: [ObservabilityModule.forRoot({ serviceName: 'correlation-test', logDestination: logs })],
      controllers: [OrdersController],
      providers: [{ provide: QUEUE, useValue: queue }],
    })
    class AppModule {}

    running = await startApp(AppModule);
    const logger = running.app.get<PinoLogger>(LOGGER);
    worker = new Worker(
      'confirmations',
      (job) =>
        runJobWithCorrelation(job, async () => {
          await sleep(1);
          logger.info('job processed');
          processed.resolve(job.data);
        }),
      { connection, prefix: ctx.prefix },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await running?.close();
  });

  it('gives every line of one request, its awaited calls and its queued job the same requestId', async () => {
    const response = await fetch(`${running.url}/orders/o-17`);
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const jobData = await processed.promise;

    const ofRequest = await logs.waitFor((line) => line.requestId === requestId, 5);
    const byMessage = new Map(ofRequest.map((line) => [line.msg, line]));
    expect([...byMessage.keys()].sort()).toEqual([
      'inside async call',
      'job processed',
      'loading order',
      'order loaded',
      'request completed',
    ]);
    expect(byMessage.get('order loaded')).toMatchObject({
      context: 'OrdersController',
      orderId: 'o-17',
      level: 'info',
    });
    expect(byMessage.get('request completed')).toMatchObject({
      method: 'GET',
      route: '/orders/:id',
      statusCode: 200,
      orderId: 'o-17',
      service: 'correlation-test',
    });
    expect(byMessage.get('request completed')?.durationMs).toEqual(expect.any(Number));
    expect(byMessage.get('job processed')).toMatchObject({
      orderId: 'o-17',
      queue: 'confirmations',
      jobId: expect.any(String),
    });
    expect(jobData).toEqual({ orderId: 'o-17', [CORRELATION_KEY]: { ids: { requestId, orderId: 'o-17' } } });
  });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    const kept = await fetch(`${running.url}/orders/o-1`, { headers: { 'x-request-id': 'edge-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-abc.123');
    expect(logs.lines.filter((line) => line.requestId === 'edge-abc.123').map((line) => line.msg)).toContain(
      'loading order',
    );

    const replaced = await fetch(`${running.url}/orders/o-2`, {
      headers: { 'x-request-id': 'x'.repeat(300) },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps concurrent requests with bodies apart', async () => {
    const ids = Array.from({ length: 20 }, (_, index) => String(index));
    const responses = await Promise.all(
      ids.map((id) =>
        fetch(`${running.url}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id }),
        }),
      ),
    );
    const requestIdOf = new Map(ids.map((id, index) => [id, responses[index]?.headers.get('x-request-id')]));
    const created = logs.withMessage('creating order');
    const completed = await logs.waitFor(
      (line: LogLine) => line.msg === 'request completed' && line.route === '/orders',
      20,
    );
    expect(created).toHaveLength(20);
    expect(completed).toHaveLength(20);
    for (const line of [...created, ...completed]) {
      expect(line.requestId).toBe(requestIdOf.get(String(line['orderId'])));
    }
  });

  it('keeps the request context when the body arrives after the headers', async () => {
    const requestId = await postWithLateBody(`${running.url}/orders`, JSON.stringify({ id: 'late' }));
    const created = logs.withMessage('creating order').filter((line) => line['orderId'] === 'late');
    expect(created).toHaveLength(1);
    expect(created[0]?.requestId).toBe(requestId);
  });

  it('writes the request line in the request context when a large response drains slowly', async () => {
    const requestId = await getWithSlowReader(`${running.url}/orders/big/export`);
    const completed = await logs.waitFor(
      (line) => line.msg === 'request completed' && line.route === '/orders/:id/export',
    );
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ requestId, orderId: 'big' });
  });

  it('logs a failed request and the Nest exception line as JSON with the request ID', async () => {
    const response = await fetch(`${running.url}/orders/o-9/broken`);
    expect(response.status).toBe(500);
    const requestId = response.headers.get('x-request-id');
    const [failed] = await logs.waitFor(
      (line) => line.msg === 'request failed' && line.requestId === requestId,
    );
    expect(failed).toMatchObject({
      level: 'error',
      statusCode: 500,
      route: '/orders/:id/broken',
      orderId: 'o-9',
    });
    const [exception] = await logs.waitFor(
      (line) => line.context === 'ExceptionsHandler' && line.requestId === requestId,
    );
    expect(exception).toMatchObject({ level: 'error', orderId: 'o-9' });
    expect(exception?.['err']).toMatchObject({
      message: 'order o-9 is corrupt',
      stack: expect.stringContaining('OrdersController.broken'),
    });
  });
});
