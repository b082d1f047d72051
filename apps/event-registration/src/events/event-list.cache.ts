import { Inject, Injectable } from '@nestjs/common';
import type { KeysetPage } from '@remedy/pagination';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../app-config.module.js';
import { ReadThroughCache } from '../cache/read-through-cache.js';
import type { AppConfig } from '../config.js';
import type { EventDto } from './event.dto.js';
import type { EventListFilter } from './event-list.filter.js';

const VERSION_KEY = 'event-list:version';

/**
 * Pages of GET /events in Redis (events:M-1), keyed by the list version and the exact query. Any event
 * write bumps the version, so no page written before it is ever served after it. Seat counts
 * (remaining_capacity) change with registrations without a bump: they may lag by the TTL in lists
 * (GET /events/:id is always fresh, and the registration itself is decided atomically in Postgres).
 */
@Injectable()
export class EventListCache {
  constructor(
    private readonly cache: ReadThroughCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async read(
    filter: EventListFilter,
    load: () => Promise<KeysetPage<EventDto>>,
  ): Promise<KeysetPage<EventDto>> {
    const version = await this.cache.version(VERSION_KEY);
    if (version === undefined) return load();
    const digest = createHash('sha256').update(JSON.stringify(filter)).digest('base64url');
    return this.cache.read(
      'event-list',
      `event-list:v${version}:${digest}`,
      this.config.cache.eventListTtlSeconds,
      load,
    );
  }

  invalidate(): Promise<void> {
    return this.cache.bumpVersion(VERSION_KEY);
  }
}
