import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ObservabilityModule,
  runJobWithCorrelation,
  runWithCorrelation,
  withCorrelationHeaders,
} from '../src/index.js';
import { LogCapture } from './support/log-capture.js';

describe('in a worker entry (application context without HTTP)', () => {
  const logs = new LogCapture();
  let context: INestApplicationContext;

  beforeAll(async () => {
    @Module({ imports: [ObservabilityModule.forRoot({ serviceName: 'worker-test', logDestination: logs })] })
    class WorkerModule {}
    context = await NestFactory.createApplicationContext(WorkerModule, {
      bufferLogs: true,
      abortOnError: false,
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('writes the buffered bootstrap lines as JSON', () => {
    expect(logs.lines.find((line) => line.context === 'NestFactory')).toMatchObject({
      level: 'info',
      service: 'worker-test',
      msg: expect.stringContaining('Starting Nest application'),
    });
  });

  it('boots, and Nest lines inside a job carry the producer IDs', async () => {
    const data = runWithCorrelation({ requestId: 'req-from-api', userId: 'u-1' }, () =>
      withCorrelationHeaders({ n: 1 }),
    );
    await runJobWithCorrelation({ id: '7', name: 'digest', queueName: 'mail', data }, async () => {
      new Logger('DigestJob').log('digest built');
    });
    expect(logs.withMessage('digest built')).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'DigestJob',
        requestId: 'req-from-api',
        userId: 'u-1',
        jobId: '7',
        queue: 'mail',
        service: 'worker-test',
      }),
    ]);
  });
});
