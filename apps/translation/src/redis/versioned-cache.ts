import { randomUUID } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export interface VersionedCacheOptions<K, V> {
  /** The cache Redis (the evicting one): never the queue Redis. */
  redis: Redis;
  logger: Logger;
  /** What the cache holds, for its log lines ("language map", "glossary"). */
  what: string;
  ttlSeconds: number;
  valueKey: (key: K) => string;
  versionKey: (key: K) => string;
  /** The stored entry's field for the value, kept as each cache first wrote it so running instances agree. */
  field: string;
  /** The value from Postgres; JSON-serialisable (null, not undefined, for "none"). */
  load: (key: K) => Promise<V>;
}

/**
 * A value read through the cache Redis under a version (ADR 0061, ADR 0088). A change writes a fresh random version
 * once it has committed, and a cached value is served only while it carries the current one: a reader that loaded
 * the old row just before the commit stores it under the old version, which is no longer current, so it is never
 * served after the change is acknowledged. A version key lost to eviction or expiry is replaced by a new random
 * one, never an old value. Both keys expire after `ttlSeconds` (reads do not extend them). Redis trouble on a
 * read never fails the caller: the value is read from Postgres and the error logged.
 */
export class VersionedCache<K, V> {
  constructor(private readonly options: VersionedCacheOptions<K, V>) {}

  async get(key: K): Promise<V> {
    const { redis, logger, what, ttlSeconds, field } = this.options;
    let version: string;
    try {
      const [current, cached] = await redis.mget(this.options.versionKey(key), this.options.valueKey(key));
      if (current !== null && current !== undefined && cached !== null && cached !== undefined) {
        const entry = JSON.parse(cached) as Record<string, unknown>;
        if (entry['version'] === current) return entry[field] as V;
      }
      version = current ?? (await this.startVersion(key));
    } catch (error) {
      logger.warn(`${what} read failed, reading Postgres: ${String(error)}`);
      return this.options.load(key);
    }
    const value = await this.options.load(key);
    await redis
      .set(this.options.valueKey(key), JSON.stringify({ version, [field]: value }), 'EX', ttlSeconds)
      .catch((error: unknown) => logger.warn(`${what} fill failed: ${String(error)}`));
    return value;
  }

  /** After a change has committed: every cached value for `key` stops being served. Throws on a Redis failure. */
  async invalidate(key: K): Promise<void> {
    await this.options.redis.set(this.options.versionKey(key), randomUUID(), 'EX', this.options.ttlSeconds);
  }

  /** A new version when the key has none (first read, or the version expired or was evicted). */
  private async startVersion(key: K): Promise<string> {
    const versionKey = this.options.versionKey(key);
    const fresh = randomUUID();
    const set = await this.options.redis.set(versionKey, fresh, 'EX', this.options.ttlSeconds, 'NX');
    // Another reader or an invalidation got there first: theirs is the current version.
    return set === 'OK' ? fresh : ((await this.options.redis.get(versionKey)) ?? fresh);
  }
}
