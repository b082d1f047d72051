import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';
import type { ProfileDto } from './profile.dto.js';

/**
 * Profiles cache-aside in the cache Redis (livestream:M4): `profile:<userId>` holds the JSON for up to
 * CACHE_PROFILE_TTL_SECONDS (1 h). There is no in-process layer, so every API instance reads the same entry
 * and one DEL after an update's commit invalidates it for all of them. A read that loaded the old row just
 * before that commit may still store it after the DEL; the TTL bounds that rare staleness.
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
    const key = profileKey(userId);
    try {
      const cached = await this.redis.cache.get(key);
      if (cached !== null) return JSON.parse(cached) as ProfileDto;
    } catch (error) {
      this.logger.warn(`profile cache read failed, reading Postgres: ${String(error)}`);
      return load();
    }
    const profile = await load();
    await this.redis.cache
      .set(key, JSON.stringify(profile), 'EX', this.ttlSeconds)
      .catch((error: unknown) => this.logger.warn(`profile cache fill failed: ${String(error)}`));
    return profile;
  }

  /** After the update has committed. A failure is thrown: the caller must not report a change it may hide. */
  async forget(userId: string): Promise<void> {
    await this.redis.cache.del(profileKey(userId));
  }
}

function profileKey(userId: string): string {
  return `profile:${userId}`;
}
