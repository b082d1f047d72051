import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import type { ProfileDto } from './profile.dto.js';

/** What a cache entry holds: the profile and the version counter it was loaded under. */
interface CachedProfile {
  version: string;
  profile: ProfileDto;
}

/**
 * Profiles cache-aside in the cache Redis (livestream:M4), for up to CACHE_PROFILE_TTL_SECONDS (1 h). There is
 * no in-process layer, so every API instance reads the same entry and an update invalidates it for all of them.
 * Invalidation bumps a per-profile version rather than deleting the entry: a read that loaded the old row just
 * before an update committed stores it under the old version, which no later read accepts (a plain DEL would let
 * that late fill bring the old name back for an hour). A hit is one MGET of the entry and the version.
 * Redis trouble never fails a read: the profile is loaded from Postgres and the error logged.
 */
@Injectable()
export class ProfileCache {
  private readonly logger = new Logger(ProfileCache.name);
  private readonly ttlSeconds: number;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.cache.profileTtlSeconds;
  }

  async read(userId: string, load: () => Promise<ProfileDto>): Promise<ProfileDto> {
    const keys = profileCacheKeys(userId);
    let version: string;
    try {
      const [cached, current] = await this.redis.cache.mget(keys.entry, keys.version);
      version = current ?? '0';
      const entry = cached ? (JSON.parse(cached) as CachedProfile) : undefined;
      if (entry?.version === version) return entry.profile;
    } catch (error) {
      this.logger.warn(`profile cache read failed, reading Postgres: ${String(error)}`);
      return load();
    }
    const profile = await load();
    const entry: CachedProfile = { version, profile };
    await this.redis.cache
      .set(keys.entry, JSON.stringify(entry), 'EX', this.ttlSeconds)
      .catch((error: unknown) => this.logger.warn(`profile cache fill failed: ${String(error)}`));
    return profile;
  }

  /**
   * After the update has committed. The version outlives every entry stored under an older one (twice the
   * entry TTL). A failure is thrown: the caller must not report a change the cache may hide.
   */
  async forget(userId: string): Promise<void> {
    const keys = profileCacheKeys(userId);
    const replies = await this.redis.cache
      .multi()
      .incr(keys.version)
      .expire(keys.version, 2 * this.ttlSeconds)
      .exec();
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }
}

/** Both keys of a profile share a hash tag, so MGET stays on one slot of a Redis cluster. */
export function profileCacheKeys(userId: string): { entry: string; version: string } {
  return { entry: `profile:{${userId}}`, version: `profile-version:{${userId}}` };
}
