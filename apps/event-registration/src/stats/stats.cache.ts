import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../app-config.module.js';
import { ReadThroughCache } from '../cache/read-through-cache.js';
import type { AppConfig } from '../config.js';
import type { EventStatsDto } from './event-stats.dto.js';

const versionKey = (eventId: string): string => `event-stats:${eventId}:version`;

/**
 * One event's stats in Redis (events:M-1). Anything that changes the event's registrations, check-ins or
 * survey responses calls `invalidate(eventId)` after its transaction commits. The key is versioned, so a
 * stats read that started before the write and finishes after it stores its result under a version
 * nobody reads any more: no stale read survives an invalidation.
 */
@Injectable()
export class StatsCache {
  constructor(
    private readonly cache: ReadThroughCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async read(eventId: string, load: () => Promise<EventStatsDto>): Promise<EventStatsDto> {
    const version = await this.cache.version(versionKey(eventId));
    if (version === undefined) return load();
    return this.cache.read(
      'event-stats',
      `event-stats:${eventId}:v${version}`,
      this.config.cache.statsTtlSeconds,
      load,
    );
  }

  /** Call after the commit. Never throws (see ReadThroughCache.bumpVersion). */
  invalidate(eventId: string): Promise<void> {
    return this.cache.bumpVersion(versionKey(eventId));
  }
}
