import { subtractDuration, type Duration } from './duration.js';
import { startOfInterval } from './partition-interval.js';
import type { PartitionPolicy } from './partition-policy.js';

/**
 * The start of the oldest partition still kept hot at `now`: every row before it has left the database
 * once retention has run. Partitions go whole, so rows up to one interval older than the window remain.
 */
export function retentionBoundary(policy: PartitionPolicy, now: Date): Date {
  return boundaryFor(policy, now, policy.hotRetention);
}

/** The start of the oldest partition whose archive is still kept at `now` (undefined without purgeAfter). */
export function purgeBoundary(policy: PartitionPolicy, now: Date): Date | undefined {
  return policy.purgeAfter ? boundaryFor(policy, now, policy.purgeAfter) : undefined;
}

function boundaryFor(policy: PartitionPolicy, now: Date, age: Duration): Date {
  return startOfInterval(subtractDuration(now, age), policy.interval);
}
