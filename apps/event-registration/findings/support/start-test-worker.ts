import { PARTITION_MAINTENANCE_QUEUE } from '@remedy/partitioning';
import {
  startWorkerContext,
  waitUntil,
  type ProviderPlug,
  type TestWorker as WorkerContext,
} from '@remedy/testing';
import { Queue } from 'bullmq';
import type { AppConfig, ConfigValues } from '../../src/config.js';
import { WorkerModule } from '../../src/worker.module.js';
import { testConfig, type TestServices } from './test-config.js';

export type TestWorker = WorkerContext<AppConfig>;

/**
 * Boots the real WorkerModule (relay, mail and reminder consumers, schedulers) on the test context, with
 * `plugs` in place of the providers they name (a proof's seam), and
 * returns once the partition maintenance it runs at start-up has finished: that job takes DDL locks, and
 * a proof should measure its own work, not a collision with it.
 */
export async function startTestWorker(
  ctx: TestServices,
  overrides: ConfigValues = {},
  plugs: readonly ProviderPlug[] = [],
): Promise<TestWorker> {
  const config = testConfig(ctx, overrides);
  const worker = await startWorkerContext(WorkerModule.forRoot(config), config, plugs);
  const maintenance = new Queue(PARTITION_MAINTENANCE_QUEUE, {
    connection: { url: config.redis.queueUrl },
    prefix: config.redis.queuePrefix,
  });
  try {
    await waitUntil(
      'the start-up partition maintenance',
      async () => {
        const counts = await maintenance.getJobCounts('completed', 'failed');
        return (counts['completed'] ?? 0) + (counts['failed'] ?? 0) > 0;
      },
      30_000,
    );
  } finally {
    await maintenance.close();
  }
  return worker;
}
