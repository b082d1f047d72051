import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { LiveStreamList } from './live-stream-list.js';
import type { StreamPageRequest } from './stream-page-query.dto.js';

/** A response body as sent, with the validators and freshness HTTP caches need (absent: not cacheable). */
export interface HttpRepresentation {
  body: string;
  etag?: string;
  cacheControl?: string;
}

const VERSION_KEY = 'live-streams:version';

/**
 * The live list as HTTP representations (livestream:M5). It is the same for every caller, so it is public and
 * cacheable by a CDN: `s-maxage` = CACHE_LIVE_LIST_TTL_SECONDS (30 s), browsers revalidate every time
 * (`max-age=0`) with a strong ETag (a hash of the exact bytes) and get 304s.
 * Behind the CDN, each page is kept in the cache Redis for the same TTL, shared by every instance, under the
 * list's current version: a stream's start or end bumps the version, so the next request of any page misses
 * and reads Postgres (versioning instead of deleting: a reader that loaded the old list just before the bump
 * stores it under the old version, which nobody asks for again). An evicted version restarts at 0, whose
 * pages have expired by then: staleness stays within the TTL. Redis trouble never fails a read.
 */
@Injectable()
export class LiveListRepresentations {
  private readonly logger = new Logger(LiveListRepresentations.name);
  private readonly ttlSeconds: number;
  private readonly cacheControl: string;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(LiveStreamList) private readonly list: LiveStreamList,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.cache.liveListTtlSeconds;
    this.cacheControl = `public, max-age=0, s-maxage=${this.ttlSeconds}, stale-while-revalidate=${this.ttlSeconds}`;
  }

  async page(request: StreamPageRequest): Promise<HttpRepresentation> {
    const key = await this.pageKey(request).catch((error: unknown) => {
      this.logger.warn(`live list cache unavailable, reading Postgres: ${String(error)}`);
      return undefined;
    });
    if (key !== undefined) {
      const cached = await this.redis.cache.get(key).catch(() => null);
      if (cached !== null)
        return { ...(JSON.parse(cached) as { body: string; etag: string }), cacheControl: this.cacheControl };
    }
    const body = JSON.stringify(await this.list.page(request));
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    if (key !== undefined) {
      await this.redis.cache
        .set(key, JSON.stringify({ body, etag }), 'EX', this.ttlSeconds)
        .catch((error: unknown) => this.logger.warn(`live list cache fill failed: ${String(error)}`));
    }
    return { body, etag, cacheControl: this.cacheControl };
  }

  /** After a stream's start or end has committed: every cached page is replaced on its next request. */
  async invalidate(): Promise<void> {
    await this.redis.cache.incr(VERSION_KEY);
  }

  private async pageKey(request: StreamPageRequest): Promise<string> {
    const version = (await this.redis.cache.get(VERSION_KEY)) ?? '0';
    return `live-streams:v${version}:${request.limit ?? 'default'}:${request.cursor ?? 'first'}`;
  }
}
