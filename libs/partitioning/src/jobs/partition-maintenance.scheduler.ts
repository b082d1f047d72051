import { Queue, type ConnectionOptions } from 'bullmq';
import {
  PARTITION_MAINTENANCE_JOB,
  PARTITION_MAINTENANCE_QUEUE,
  type PartitionMaintenanceJobData,
} from './partition-maintenance.job.js';

export interface PartitionMaintenanceScheduleOptions {
  connection: ConnectionOptions;
  prefix: string;
  queueName?: string;
  /** Cron pattern; default hourly, so premake never trails by more than an hour. */
  pattern?: string;
  tz?: string;
  /** Also run one pass now instead of waiting for the first cron tick (e.g. at deploy). */
  runImmediately?: boolean;
  data?: PartitionMaintenanceJobData;
}

export const PARTITION_MAINTENANCE_SCHEDULER_ID = 'partition-maintenance';

/**
 * Registers (or updates) the repeating maintenance job. Upsert by a fixed scheduler id, so every instance
 * may call this at start-up and there is still one schedule.
 */
export async function schedulePartitionMaintenance(
  options: PartitionMaintenanceScheduleOptions,
): Promise<void> {
  const queue = new Queue<PartitionMaintenanceJobData>(options.queueName ?? PARTITION_MAINTENANCE_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
  });
  try {
    await queue.upsertJobScheduler(
      PARTITION_MAINTENANCE_SCHEDULER_ID,
      {
        pattern: options.pattern ?? '0 * * * *',
        ...(options.tz ? { tz: options.tz } : {}),
        ...(options.runImmediately ? { immediately: true } : {}),
      },
      {
        name: PARTITION_MAINTENANCE_JOB,
        data: options.data ?? {},
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 30_000 },
          removeOnComplete: { count: 100 },
          removeOnFail: { count: 500 },
        },
      },
    );
  } finally {
    await queue.close();
  }
}
