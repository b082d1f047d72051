import { Injectable } from '@nestjs/common';
import { registerPartitionMetrics } from '@remedy/partitioning';
import {
  ACTIVE_PARTITION_SQL,
  PartitionCapacityMetrics,
} from '../src/lifecycle/partition-capacity.metrics.js';
import { vitalDataPolicy } from '../src/lifecycle/vital-data.policy.js';

/**
 * Close cousins of "no capacity monitoring" (vitals review: the table grew unnoticed), put back into the
 * remedy's PartitionCapacityMetrics. A gauge that reads yesterday's partition: it is > 0 and looks alive,
 * but today's partition can fill without it moving.
 */
@Injectable()
export class YesterdayPartitionCapacityMetrics extends PartitionCapacityMetrics {
  protected override readonly activePartitionSql = ACTIVE_PARTITION_SQL.replace(
    "to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')",
    "to_char(now() AT TIME ZONE 'UTC' - interval '1 day', 'YYYYMMDD')",
  );
}

/** Per-partition series only: the active partition's size and growth gauges (what the alert reads) missing. */
@Injectable()
export class NoActivePartitionGauges extends PartitionCapacityMetrics {
  override onModuleInit(): void {
    registerPartitionMetrics(this.registry, this.pool, [vitalDataPolicy(this.config.lifecycle)]);
  }
}
