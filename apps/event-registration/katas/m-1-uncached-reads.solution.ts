import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
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
  constructor(@Inject(REDIS_CLIENTS) private readonly redis: RedisClients) {}

  // Read-through: a repeated read is served from Redis, and only a miss loads from Postgres and stores the
  // answer for its TTL.
  async read<T>(_cache: CacheName, key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const cached = await this.redis.cache.get(key);
    if (cached !== null) return JSON.parse(cached) as T;
    const value = await load();
    await this.redis.cache.set(key, JSON.stringify(value), 'EX', ttlSeconds);
    return value;
  }

  // A version counter the callers build their keys from: a committed write bumps it, so every key made from
  // the old value is never read again, including one stored by a load that raced the write.
  async version(name: string): Promise<string | undefined> {
    return (await this.redis.cache.get(name)) ?? '0';
  }

  async bumpVersion(name: string): Promise<void> {
    await this.redis.cache.incr(name);
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
