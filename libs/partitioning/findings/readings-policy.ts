import {
  definePartitionPolicy,
  type PartitionArchive,
  type PartitionInterval,
  type PartitionPolicy,
} from '../src/index.js';
import { PARTITIONED_READINGS_TABLE } from './readings-schema.js';

/** The vitals shape from the review: daily partitions, a few days premade, a bounded hot window. */
export function readingsPolicy(
  hotRetentionDays: number,
  archive?: PartitionArchive,
  interval: PartitionInterval = 'day',
): PartitionPolicy {
  return definePartitionPolicy({
    table: PARTITIONED_READINGS_TABLE,
    column: 'recorded_at',
    interval,
    premake: 3,
    hotRetention: { days: hotRetentionDays },
    ...(archive ? { archive } : {}),
  });
}
