import { describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import {
  PARTITION_MAINTENANCE_QUEUE,
  PARTITION_MAINTENANCE_SCHEDULER_ID,
  PartitionMaintainer,
  createPartitionMaintenanceProcessor,
  partitionName,
  schedulePartitionMaintenance,
  startPartitionMaintenanceWorker,
  startScheduledPartitionMaintenance,
  type MaintenanceReport,
  type PartitionMaintenanceJobData,
} from '../src/index.js';
import { startOfUtcDay } from '../findings/utc-day.js';
import { partitioningHarness } from './support/partitioning-harness.js';
import { attachedPartitions, newReadingsTable } from './support/readings-table.js';

const ctx = useTestContext(partitioningHarness);

function redisConnection(): ConnectionOptions {
  const url = new URL(ctx.redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
}

function nextCompletion(
  worker: ReturnType<typeof startPartitionMaintenanceWorker>,
  timeoutMs: number,
): Promise<MaintenanceReport[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no maintenance job completed within ${timeoutMs} ms`)),
      timeoutMs,
    );
    worker.once('completed', (_job, result) => {
      clearTimeout(timer);
      resolve(result);
    });
    worker.once('failed', (_job, error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('scheduled partition maintenance', () => {
  test('an hourly job scheduler, upserted by every instance, runs a maintenance pass on the worker', async () => {
    const policy = await newReadingsTable(ctx.pool, { premake: 2 });
    const now = new Date();
    const worker = startPartitionMaintenanceWorker({
      connection: redisConnection(),
      prefix: ctx.prefix,
      maintainer: new PartitionMaintainer(ctx.pool, { now: () => now }),
      policies: [policy],
    });
    const queue = new Queue(PARTITION_MAINTENANCE_QUEUE, {
      connection: redisConnection(),
      prefix: ctx.prefix,
    });
    try {
      const completed = nextCompletion(worker, 15_000);
      await schedulePartitionMaintenance({
        connection: redisConnection(),
        prefix: ctx.prefix,
        runImmediately: true,
      });
      await schedulePartitionMaintenance({ connection: redisConnection(), prefix: ctx.prefix });

      const [report] = await completed;
      expect(report?.table).toBe(policy.qualifiedName);
      expect(report?.premake.created.map((partition) => partition.name)).toEqual(
        [0, 1, 2].map((offset) => partitionName(policy.table, startOfUtcDay(now, offset))),
      );
      expect(report?.defaultPartition?.rows).toBe(0);
      expect(await attachedPartitions(ctx.pool, policy)).toHaveLength(4);

      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: PARTITION_MAINTENANCE_SCHEDULER_ID, pattern: '0 * * * *' });
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  test("a worker process's scheduled maintenance reports a failed pass under the job's name", async () => {
    const policy = await newReadingsTable(ctx.pool);
    let reportError: (message: string) => void = () => undefined;
    const reported = new Promise<string>((resolve) => (reportError = resolve));
    const worker = await startScheduledPartitionMaintenance({
      name: 'readings retention',
      connection: redisConnection(),
      prefix: ctx.prefix,
      maintainer: new PartitionMaintainer(ctx.pool),
      policies: [policy],
      runImmediately: true,
      data: { tables: ['public.no_such_table'] },
      onError: (message) => reportError(message),
    });
    try {
      expect(await reported).toMatch(
        /^readings retention job .+ failed: No partition policy for public\.no_such_table$/,
      );
    } finally {
      await worker.close();
    }
  });

  test('a job naming a table without a policy fails instead of silently doing nothing', async () => {
    const policy = await newReadingsTable(ctx.pool);
    const process = createPartitionMaintenanceProcessor(new PartitionMaintainer(ctx.pool), [policy]);
    const job = { data: { tables: ['public.no_such_table'] } } as Job<
      PartitionMaintenanceJobData,
      MaintenanceReport[]
    >;
    await expect(process(job)).rejects.toThrow('No partition policy for public.no_such_table');
  });
});
