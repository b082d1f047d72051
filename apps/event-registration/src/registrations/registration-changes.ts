import { Injectable } from '@nestjs/common';
import { StatsCache } from '../stats/stats.cache.js';

/**
 * What must happen after a registration change commits: the event's cached stats are invalidated
 * (events:M-1). Called after COMMIT, never inside the transaction: a cache cleared before the commit could
 * be refilled from the old rows by a concurrent read. StatsCache.invalidate never throws; the write stands
 * either way.
 */
@Injectable()
export class RegistrationChanges {
  constructor(private readonly stats: StatsCache) {}

  committed(eventId: string): Promise<void> {
    return this.stats.invalidate(eventId);
  }
}
