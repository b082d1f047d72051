import type { FollowListRouting, ReadSource } from '../src/follows/follow-list-routing.js';

/*
 * livestream:S6 — the design has "no read/write separation": one PostgreSQL serves the writes and every read,
 * so follow lists, profiles and past streams compete with go-live and follow writes for the primary. The flawed
 * deployment runs the API without DATABASE_REPLICA_URL: a replica may exist, nothing reads from it.
 */
export const PRIMARY_ONLY_DEPLOYMENT = { DATABASE_REPLICA_URL: undefined } as const;

/* A close cousin, put back into the remediated service. */

/**
 * Every follow list on the replica, the member's own included: a member who just followed someone does not see
 * them in their own list until the replica has replayed the follow (no read-your-writes).
 */
export class ReplicaForEveryList implements Pick<FollowListRouting, 'sourceFor'> {
  sourceFor(): ReadSource {
    return 'replica';
  }
}
