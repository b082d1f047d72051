import {
  definePartitionPolicy,
  type Duration,
  type PartitionArchive,
  type PartitionPolicy,
} from '@remedy/partitioning';
import type { AppConfig } from '../config.js';

/**
 * How late a reading may still arrive (a device that was offline sends what it held). Partitions are kept
 * ready this far back, and ingest refuses a reading recorded before the oldest of them (premakeBoundary):
 * it would otherwise land in the default partition, which retention can neither archive nor drop by day.
 */
export const LATE_READING_WINDOW: Duration = { days: 2 };

/**
 * Daily partitions of vital_data: premade ahead and kept ready LATE_READING_WINDOW back, 90 days hot, then detached, archived (gzip CSV), verified
 * and dropped; archives are purged after the compliance window. Without an archive store (a service
 * that only ingests) the policy still premakes; retention runs only where an archive is configured.
 */
export function vitalDataPolicy(
  lifecycle: AppConfig['lifecycle'],
  archive?: PartitionArchive,
): PartitionPolicy {
  return definePartitionPolicy({
    table: 'vital_data',
    column: 'recorded_at',
    interval: 'day',
    premake: lifecycle.premakeDays,
    hotRetention: { days: lifecycle.hotRetentionDays },
    lateArrival: LATE_READING_WINDOW,
    ...(archive ? { archive, purgeAfter: { years: lifecycle.purgeAfterYears } } : {}),
  });
}
