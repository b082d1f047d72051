import { subtractDuration } from './duration.js';
import { startOfInterval } from './partition-interval.js';
import type { PartitionPolicy } from './partition-policy.js';

/**
 * The start of the oldest partition premake keeps ready at `now`: the interval holding now − lateArrival,
 * or the current interval when the policy takes no late rows. A row older than this has no partition of its
 * own and would land in the default partition, which retention cannot archive, so a writer refuses it.
 */
export function premakeBoundary(policy: PartitionPolicy, now: Date): Date {
  const oldest = policy.lateArrival ? subtractDuration(now, policy.lateArrival) : now;
  return startOfInterval(oldest, policy.interval);
}
