import type { DefaultPartitionReport } from './default-partition-check.js';
import type { CreatedPartition } from './partition-creator.js';
import type { RetiredPartition } from './partition-retirer.js';

export interface PremakeReport {
  table: string;
  /** Empty when every partition up to now + premake already existed. */
  created: CreatedPartition[];
  defaultPartitionCreated: boolean;
}

export interface RetentionReport {
  table: string;
  /** Another instance was running retention for this table, so this run left it alone. */
  skipped: boolean;
  retired: RetiredPartition[];
  purgedArchives: string[];
}

export interface MaintenanceReport {
  table: string;
  premake: PremakeReport;
  /** Undefined when the policy keeps no default partition. */
  defaultPartition: DefaultPartitionReport | undefined;
  retention: RetentionReport;
}
