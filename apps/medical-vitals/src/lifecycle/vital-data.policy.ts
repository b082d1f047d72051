import { definePartitionPolicy, type PartitionArchive, type PartitionPolicy } from '@remedy/partitioning';
import type { AppConfig } from '../config.js';

/**
 * Daily partitions of vital_data: premade ahead, 90 days hot, then detached, archived (gzip CSV), verified
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
    ...(archive ? { archive, purgeAfter: { years: lifecycle.purgeAfterYears } } : {}),
  });
}
