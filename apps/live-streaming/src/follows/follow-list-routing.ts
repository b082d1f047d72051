import { Injectable } from '@nestjs/common';

/** Which server answers a read: the primary, or the streaming replica (the primary when none is configured). */
export type ReadSource = 'primary' | 'replica';

/**
 * Read routing for the follow lists (livestream:S6). Someone else's list may be a moment behind (the replication
 * delay, milliseconds when healthy): nobody can tell a follow made elsewhere arrived late. A member's own list
 * must show the follow they just made, so it reads the primary (read-your-writes). The seam the S6 proof plugs
 * routing without that exception into.
 */
@Injectable()
export class FollowListRouting {
  sourceFor(viewerId: string, listOwnerId: string): ReadSource {
    return viewerId === listOwnerId ? 'primary' : 'replica';
  }
}
