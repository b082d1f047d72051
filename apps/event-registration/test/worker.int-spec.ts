import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { PARTITION_MAINTENANCE_QUEUE, type MaintenanceReport } from '@remedy/partitioning';
import { RedisClientsModule } from '@remedy/pooling';
import { useTestContext, waitUntil } from '@remedy/testing';
import { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { testConfig } from '../findings/support/test-config.js';
import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfigModule } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { RetentionModule } from '../src/retention/retention.module.js';

/** The worker's retention part alone, as WorkerModule wires it (mail and reminders have their own tests). */
@Module({})
class RetentionWorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RetentionWorkerModule,
      imports: [AppConfigModule.forRoot(config), RedisClientsModule.forRoot(config), RetentionModule],
    };
  }
}

const ctx = useTestContext(eventRegistrationHarness);

describe('partition maintenance in the worker', () => {
  let worker: INestApplicationContext | undefined;
  let archiveDirectory: string;

  beforeAll(async () => {
    archiveDirectory = mkdtempSync(join(tmpdir(), 'er-archive-'));
    worker = await NestFactory.createApplicationContext(
      RetentionWorkerModule.forRoot(testConfig(ctx, { ARCHIVE_DIRECTORY: archiveDirectory })),
      { bufferLogs: true },
    );
    await worker.init();
  });

  afterAll(async () => {
    await worker?.close();
    rmSync(archiveDirectory, { recursive: true, force: true });
  });

  it('schedules partition maintenance and runs a pass at start-up', async () => {
    const queue = new Queue(PARTITION_MAINTENANCE_QUEUE, {
      connection: { url: ctx.redisUrl },
      prefix: ctx.prefix,
    });
    try {
      await waitUntil(
        'the first maintenance pass to complete',
        async () => ((await queue.getJobCounts('completed')).completed ?? 0) >= 1,
        20_000,
      );
      const [job] = await queue.getJobs(['completed']);
      const reports = (job?.returnvalue ?? []) as MaintenanceReport[];
      expect(reports.map((report) => report.table).sort()).toEqual([
        'public.registrations',
        'public.survey_responses',
      ]);
      expect(await queue.getJobSchedulersCount()).toBe(1);
    } finally {
      await queue.close();
    }
  });
});
