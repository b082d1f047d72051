export { type Duration } from './policy/duration.js';
export { type PartitionInterval, PARTITION_INTERVALS } from './policy/partition-interval.js';
export { partitionName, defaultPartitionName } from './policy/partition-naming.js';
export {
  definePartitionPolicy,
  type PartitionPolicy,
  type PartitionPolicyOptions,
  type PartitionArchive,
} from './policy/partition-policy.js';
export { PartitionPolicyError } from './policy/partition-policy.error.js';
export { retentionBoundary, purgeBoundary } from './policy/retention-boundary.js';
export { premakeBoundary } from './policy/premake-boundary.js';

export {
  PartitionMaintainer,
  type PartitionMaintainerOptions,
  type EnsurePartitionsOptions,
} from './maintenance/partition-maintainer.js';
export type { MaintenanceReport, PremakeReport, RetentionReport } from './maintenance/maintenance-report.js';
export type { CreatedPartition } from './maintenance/partition-creator.js';
export type { RetiredPartition } from './maintenance/partition-retirer.js';
export type { DefaultPartitionReport } from './maintenance/default-partition-check.js';

export type { ArchiveStore } from './archive/archive-store.js';
export type { ArchivedRow } from './archive/archived-row.js';
export { type ArchiveFormat, ARCHIVE_FORMATS } from './archive/archive-format.js';
export { archiveKey, archivePrefix } from './archive/archive-key.js';
export { readArchive } from './archive/archive-reader.js';
export { ArchiveVerificationError } from './archive/archive-verification.error.js';
export { S3ArchiveStore, type S3ArchiveStoreOptions } from './archive/s3-archive-store.js';
export { FilesystemArchiveStore } from './archive/filesystem-archive-store.js';

export { registerPartitionMetrics } from './metrics/partition-metrics.js';

export {
  createPartitionMaintenanceProcessor,
  startPartitionMaintenanceWorker,
  PARTITION_MAINTENANCE_QUEUE,
  PARTITION_MAINTENANCE_JOB,
  type PartitionMaintenanceJobData,
  type PartitionMaintenanceProcessor,
  type PartitionMaintenanceWorkerOptions,
} from './jobs/partition-maintenance.job.js';
export {
  schedulePartitionMaintenance,
  PARTITION_MAINTENANCE_SCHEDULER_ID,
  type PartitionMaintenanceScheduleOptions,
} from './jobs/partition-maintenance.scheduler.js';
export {
  startScheduledPartitionMaintenance,
  type ScheduledPartitionMaintenanceOptions,
} from './jobs/scheduled-partition-maintenance.js';
