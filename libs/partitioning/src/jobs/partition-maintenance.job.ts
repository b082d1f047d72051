import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { MaintenanceReport } from '../maintenance/maintenance-report.js';
import type { PartitionMaintainer } from '../maintenance/partition-maintainer.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';

export const PARTITION_MAINTENANCE_QUEUE = 'partition-maintenance';
export const PARTITION_MAINTENANCE_JOB = 'maintain-partitions';

export interface PartitionMaintenanceJobData {
  /** `schema.table` of the policies to maintain; all of them when absent. */
  tables?: string[];
}

export type PartitionMaintenanceProcessor = (
  job: Job<PartitionMaintenanceJobData, MaintenanceReport[]>,
) => Promise<MaintenanceReport[]>;

/** One maintenance pass per job; the reports become the job's return value. */
export function createPartitionMaintenanceProcessor(
  maintainer: PartitionMaintainer,
  policies: readonly PartitionPolicy[],
): PartitionMaintenanceProcessor {
  return async (job) => {
    const wanted = job.data.tables;
    const unknown =
      wanted?.filter((table) => !policies.some((policy) => policy.qualifiedName === table)) ?? [];
    if (unknown.length > 0) throw new Error(`No partition policy for ${unknown.join(', ')}`);
    return maintainer.maintain(
      wanted ? policies.filter((policy) => wanted.includes(policy.qualifiedName)) : policies,
    );
  };
}

export interface PartitionMaintenanceWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  queueName?: string;
  maintainer: PartitionMaintainer;
  policies: readonly PartitionPolicy[];
}

/**
 * A worker for the maintenance queue. Concurrency 1: passes are serialized here and across instances by
 * the advisory locks anyway, and one at a time keeps DDL from competing with itself. Close it on shutdown.
 */
export function startPartitionMaintenanceWorker(
  options: PartitionMaintenanceWorkerOptions,
): Worker<PartitionMaintenanceJobData, MaintenanceReport[]> {
  return new Worker<PartitionMaintenanceJobData, MaintenanceReport[]>(
    options.queueName ?? PARTITION_MAINTENANCE_QUEUE,
    createPartitionMaintenanceProcessor(options.maintainer, options.policies),
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
}
