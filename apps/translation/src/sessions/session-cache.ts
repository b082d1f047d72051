import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import type { Session } from './session.js';

/**
 * Session metadata cache-aside in the cache Redis (polyglot-b:M-1), shared by every API instance. Every chat
 * message, caption and join looks its session up, so the row is read from Postgres once per TTL instead of once
 * per look-up. A read fills a missing entry with SET NX; a start or an end overwrites it with the committed row
 * (after the commit), so a read that loaded the row just before the change cannot store its old copy over the
 * new one. Redis trouble never fails a read: the session is loaded from Postgres and the error logged.
 */
@Injectable()
export class SessionCache {
  private readonly logger = new Logger(SessionCache.name);
  private readonly ttlSeconds: number;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.cache.sessionTtlSeconds;
  }

  async read(sessionId: string, load: () => Promise<Session | null>): Promise<Session | null> {
    try {
      const cached = await this.redis.cache.get(sessionCacheKey(sessionId));
      if (cached !== null) return JSON.parse(cached) as Session;
    } catch (error) {
      this.logger.warn(`session cache read failed, reading Postgres: ${String(error)}`);
      return load();
    }
    const session = await load();
    if (session !== null) {
      await this.redis.cache
        .set(sessionCacheKey(sessionId), JSON.stringify(session), 'EX', this.ttlSeconds, 'NX')
        .catch((error: unknown) => this.logger.warn(`session cache fill failed: ${String(error)}`));
    }
    return session;
  }

  /**
   * After a start or an end has committed. A failure is thrown: the caller must not report a change the cache
   * would hide for up to the TTL.
   */
  async replace(session: Session): Promise<void> {
    await this.redis.cache.set(sessionCacheKey(session.id), JSON.stringify(session), 'EX', this.ttlSeconds);
  }
}

/** One key per session; the hash tag keeps a session's keys on one slot of a Redis cluster. */
export function sessionCacheKey(sessionId: string): string {
  return `session:{${sessionId}}`;
}
