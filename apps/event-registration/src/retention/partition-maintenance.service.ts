import {
  PartitionMaintainer,
  type ArchiveStore,
  type MaintenanceReport,
  type PartitionPolicy,
} from '@remedy/partitioning';
import type pg from 'pg';
import type { RetentionConfig } from '../config.js';
import { eventPartitionPolicies } from './partition-policies.js';

export interface PartitionMaintenanceOptions {
  /** The clock partitions and the retention window are computed from (pinned by tests). */
  now?: () => Date;
  log?: (line: string) => void;
}

/**
 * The data lifecycle of registrations and survey responses (events:S-5): one pass premakes monthly
 * partitions, reports rows stuck in the default partition, and retires partitions past the hot window.
 */
export class PartitionMaintenanceService {
  readonly policies: readonly PartitionPolicy[];
  readonly maintainer: PartitionMaintainer;

  constructor(
    pool: pg.Pool,
    retention: RetentionConfig,
    store: ArchiveStore,
    options: PartitionMaintenanceOptions = {},
  ) {
    this.policies = eventPartitionPolicies(retention, store);
    this.maintainer = new PartitionMaintainer(pool, {
      ...(options.now ? { now: options.now } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  runOnce(): Promise<MaintenanceReport[]> {
    return this.maintainer.maintain(this.policies);
  }
}
