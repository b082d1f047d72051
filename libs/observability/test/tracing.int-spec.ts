import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Inject, Module, Param, Post } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { useTestContext } from '@remedy/testing';
import { Queue, Worker } from 'bullmq';
import {
  LOGGER,
  ObservabilityModule,
  runJobWithCorrelation,
  TracingService,
  withCorrelationHeaders,
  type PinoLogger,
} from '../src/index.js';
import { bullmqConnection } from './support/bullmq-connection.js';
import { deferred } from './support/deferred.js';
import { LogCapture } from './support/log-capture.js';
import { startApp, type RunningApp } from './support/test-app.js';

const ALERTS = Symbol('ALERTS');

@Controller('readings')
class ReadingsController {
  constructor(@Inject(ALERTS) private readonly alerts: Queue) {}

  @Post(':deviceId')
  async ingest(@Param('deviceId') deviceId: string): Promise<{ accepted: true }> {
    await this.alerts.add('alert', withCorrelationHeaders({ deviceId }));
    return { accepted: true };
  }
}

describe('tracing from an HTTP request through two queue hops', () => {
  const ctx = useTestContext({ name: 'observability' });
  const logs = new LogCapture();
  let alerts: Queue;
  let push: Queue;
  let workers: Worker[] = [];
  let running: RunningApp;
  let pushed = deferred<string>();

  beforeAll(async () => {
    const connection = bullmqConnection(ctx.redisUrl);
    alerts = new Queue('alerts', { connection, prefix: ctx.prefix });
    push = new Queue('push', { connection, prefix: ctx.prefix });

    @Module({
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'tracing-test',
          tracing: { enabled: true, exporter: 'memory' },
          logDestination: logs,
        }),
      ],
      controllers: [ReadingsController],
      providers: [{ provide: ALERTS, useValue: alerts }],
    })
    class AppModule {}

    running = await startApp(AppModule);
    const logger = running.app.get<PinoLogger>(LOGGER);
    workers = [
      new Worker(
        'alerts',
        (job) =>
          runJobWithCorrelation(job, async () => {
            logger.info('alert raised');
            await push.add(
              'push',
              withCorrelationHeaders({ deviceId: (job.data as { deviceId: string }).deviceId }),
            );
          }),
        { connection, prefix: ctx.prefix },
      ),
      new Worker(
        'push',
        async (job) => {
          await runJobWithCorrelation(job, async () => {
            logger.info('push sent');
          });
          pushed.resolve(String(job.id));
        },
        { connection, prefix: ctx.prefix },
      ),
    ];
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all([alerts?.close(), push?.close()]);
    await running?.close();
  });

  it('shares one trace id from the request span to both job spans, each the child of the one before', async () => {
    const response = await fetch(`${running.url}/readings/dev-4`, { method: 'POST' });
    expect(response.status).toBe(201);
    await pushed.promise;

    const spans = running.app.get(TracingService).finishedSpans();
    const server = spans.find(
      (span) => span.kind === SpanKind.SERVER && span.name === 'POST /readings/:deviceId',
    );
    const alert = spans.find((span) => span.name === 'process alerts alert');
    const sent = spans.find((span) => span.name === 'process push push');
    expect(server && alert && sent).toBeDefined();
    const traceId = server?.spanContext().traceId;
    expect(alert?.spanContext().traceId).toBe(traceId);
    expect(sent?.spanContext().traceId).toBe(traceId);
    expect(alert?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(sent?.parentSpanContext?.spanId).toBe(alert?.spanContext().spanId);
    expect(alert?.kind).toBe(SpanKind.CONSUMER);
    expect(server?.attributes).toMatchObject({
      'http.route': '/readings/:deviceId',
      'http.request.method': 'POST',
      'http.response.status_code': 201,
    });

    const requestId = response.headers.get('x-request-id');
    const lines = await logs.waitFor((line) => line.requestId === requestId, 3);
    expect(lines.map((line) => line['traceId'])).toEqual(lines.map(() => traceId));
    expect(lines.map((line) => line.msg).sort()).toEqual(['alert raised', 'push sent', 'request completed']);
  });

  it('continues the trace of a caller that sends traceparent', async () => {
    pushed = deferred<string>();
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${running.url}/readings/dev-5`, {
      method: 'POST',
      headers: { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(201);
    await pushed.promise;
    const ofCaller = running.app
      .get(TracingService)
      .finishedSpans()
      .filter((span) => span.spanContext().traceId === callerTraceId);
    expect(ofCaller.map((span) => span.name).sort()).toEqual([
      'POST /readings/:deviceId',
      'process alerts alert',
      'process push push',
    ]);
  });
});
