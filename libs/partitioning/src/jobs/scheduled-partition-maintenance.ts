import type { Worker } from 'bullmq';
import type { MaintenanceReport } from '../maintenance/maintenance-report.js';
import {
  startPartitionMaintenanceWorker,
  type PartitionMaintenanceJobData,
  type PartitionMaintenanceWorkerOptions,
} from './partition-maintenance.job.js';
import {
  schedulePartitionMaintenance,
  type PartitionMaintenanceScheduleOptions,
} from './partition-maintenance.scheduler.js';

export interface ScheduledPartitionMaintenanceOptions
  extends
    PartitionMaintenanceWorkerOptions,
    Omit<PartitionMaintenanceScheduleOptions, keyof PartitionMaintenanceWorkerOptions> {
  /** Names the job in what `onError` is told, e.g. `history retention`. */
  name: string;
  /** Told of a failed pass and of a worker error (e.g. Redis dropping). */
  onError: (message: string) => void;
}

/**
 * What a worker process runs for its partitions: the maintenance worker, its failures reported, and the
 * schedule upserted (every instance may call this at start-up). Close the worker on shutdown. The 'error'
 * listener is not optional: without one, BullMQ's 'error' event is thrown as an unhandled error.
 */
export async function startScheduledPartitionMaintenance(
  options: ScheduledPartitionMaintenanceOptions,
): Promise<Worker<PartitionMaintenanceJobData, MaintenanceReport[]>> {
  const { name, onError } = options;
  const worker = startPartitionMaintenanceWorker(options);
  worker.on('failed', (job, error) => onError(`${name} job ${job?.id ?? '?'} failed: ${error.message}`));
  worker.on('error', (error) => onError(`${name} worker: ${error.message}`));
  try {
    await schedulePartitionMaintenance(options);
  } catch (error) {
    await worker.close();
    throw error;
  }
  return worker;
}
