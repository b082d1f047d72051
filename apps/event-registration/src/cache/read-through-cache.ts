import { Inject, Injectable, Logger } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { Counter, type Registry } from 'prom-client';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { CoalescedRuns } from './coalesced-runs.js';

export type CacheName = 'event-list' | 'event-stats';

/*
 * At most one INCR per version counter per this many ms while writes keep coming (a registration rush), so
 * a writer's reply waits at most this much longer for its invalidation; far inside the 500 ms objective.
 */
const VERSION_BUMP_INTERVAL_MS = 10;

/**
 * Read-through JSON cache on the app's Redis cache client (events:M-1). Redis trouble never fails a read:
 * the value is loaded from Postgres and the error logged, so the cache only ever saves work. Hits and
 * misses are counted in `cache_requests_total{cache,result}` (the review's "hit rate > 80 %" target).
 */
@Injectable()
export class ReadThroughCache {
  private readonly logger = new Logger('ReadThroughCache');
  private readonly requests: Counter<'cache' | 'result'>;

  private readonly enabled: boolean;
  private readonly bumps = new CoalescedRuns(VERSION_BUMP_INTERVAL_MS);

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.enabled = config.cache.enabled;
    this.requests =
      (registry.getSingleMetric('cache_requests_total') as Counter<'cache' | 'result'> | undefined) ??
      new Counter({
        name: 'cache_requests_total',
        help: 'Read-through cache lookups by result (hit, miss, error).',
        labelNames: ['cache', 'result'],
        registers: [registry],
      });
  }

  async read<T>(cache: CacheName, key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    let cached: string | null = null;
    try {
      cached = await this.redis.cache.get(key);
    } catch (error) {
      return this.loadAfterError(cache, error, load);
    }
    if (cached !== null) {
      this.requests.inc({ cache, result: 'hit' });
      return JSON.parse(cached) as T;
    }
    this.requests.inc({ cache, result: 'miss' });
    const value = await load();
    try {
      await this.redis.cache.set(key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch (error) {
      this.logger.warn(`cache ${cache}: could not store ${key}: ${String(error)}`);
    }
    return value;
  }

  /**
   * A counter kept in Redis, used to version keys: bumping it retires every key built from the old value,
   * so a load that raced with a write can only store under a key nobody reads any more. Undefined when
   * Redis is unavailable: the caller then skips the cache.
   */
  async version(name: string): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    try {
      return (await this.redis.cache.get(name)) ?? '0';
    } catch (error) {
      this.logger.warn(`cache: could not read version ${name}: ${String(error)}`);
      return undefined;
    }
  }

  /**
   * Never throws: it follows a committed write, and failing that request now would only hide the commit.
   * If Redis is unreachable, readers may see the old value until its TTL; the failure is logged. Concurrent
   * bumps of one counter share one INCR sent after all of them were asked, at most one per
   * VERSION_BUMP_INTERVAL_MS (CoalescedRuns).
   */
  bumpVersion(name: string): Promise<void> {
    return this.bumps.run(name, async () => {
      try {
        await this.redis.cache.incr(name);
      } catch (error) {
        this.logger.error(
          `cache: could not bump ${name}, old entries live until their TTL: ${String(error)}`,
        );
      }
    });
  }

  private async loadAfterError<T>(cache: CacheName, error: unknown, load: () => Promise<T>): Promise<T> {
    this.requests.inc({ cache, result: 'error' });
    this.logger.warn(`cache ${cache}: Redis unavailable, reading from Postgres: ${String(error)}`);
    return load();
  }
}
