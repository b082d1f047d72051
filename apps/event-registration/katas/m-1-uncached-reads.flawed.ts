import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReadThroughCache, type CacheName } from '../src/cache/read-through-cache.js';
import { StatsCache } from '../src/stats/stats.cache.js';

/*
 * The reviewed design has Redis available but "no caching strategy defined" (Sections 2, 3): every page
 * view of the event listing and every dashboard refresh goes to Postgres, however rarely the data changes.
 * Plugged in place of ReadThroughCache, the one cache every read of the list and the stats goes through:
 * no version to key by (so EventListCache and StatsCache load straight away), nothing stored, nothing read.
 */
@Injectable()
export class NoCache {
  read<T>(_cache: CacheName, _key: string, _ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    return load();
  }

  version(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  bumpVersion(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A flaw put back for events:M-1: a cache that is written and never read, as when the key carries something
 * that differs per request (a request id, a timestamp). Every read misses, loads and stores.
 */
@Injectable()
export class WriteOnlyCache extends ReadThroughCache {
  override read<T>(cache: CacheName, key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    return super.read(cache, `${key}:${randomUUID()}`, ttlSeconds, load);
  }
}

/**
 * A flaw put back for events:M-1: stats cached, but the registration's post-commit invalidation lost, so the
 * dashboard keeps the old numbers until the TTL runs out.
 */
@Injectable()
export class NeverInvalidatedStatsCache extends StatsCache {
  override invalidate(): Promise<void> {
    return Promise.resolve();
  }
}
