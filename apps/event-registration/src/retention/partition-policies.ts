import { definePartitionPolicy, type ArchiveStore, type PartitionPolicy } from '@remedy/partitioning';
import type { RetentionConfig } from '../config.js';

/** The partitioned tables: both are keyed by the event's start, so one event's rows share a partition. */
export const PARTITIONED_TABLES = ['registrations', 'survey_responses'] as const;

/**
 * events:S-5: monthly partitions by event_starts_at, made `premakeMonths` ahead; partitions of events older
 * than `hotMonths` are detached, archived as gzip CSV, read back and verified, then dropped (ADR 0005).
 */
export function eventPartitionPolicies(retention: RetentionConfig, store?: ArchiveStore): PartitionPolicy[] {
  return PARTITIONED_TABLES.map((table) =>
    definePartitionPolicy({
      table,
      column: 'event_starts_at',
      interval: 'month',
      premake: retention.premakeMonths,
      hotRetention: { months: retention.hotMonths },
      ...(store ? { archive: { store, format: 'csv' as const } } : {}),
      defaultPartition: true,
    }),
  );
}
