import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';
import type { SessionLanguage } from './participant.js';
import { SESSION_LANGUAGES_SQL } from './participants.sql.js';

/** A cached map and the version of the session's participants it was loaded under. */
interface CachedLanguages {
  version: string;
  languages: SessionLanguage[];
}

/**
 * The languages a session's messages are translated into (polyglot-a:S-3, polyglot-b:C-1): loaded with one
 * grouped query from participants_pkey and kept in the cache Redis, shared by every worker and API instance, so a
 * warm session's messages read no participant rows at all, however many participants it has.
 *
 * The map is versioned rather than deleted: a join or a leave (through its outbox event) writes a fresh random
 * version, and a cached map is served only while it carries the current one. A delivery that loaded the map just
 * before a join and stores it just after cannot make the old map current again: it is stored under the old
 * version, and the next read loads afresh. A version key lost to eviction or expiry is replaced by a new random
 * one, never by an old value, so a map from before the loss is never served either. Both keys expire after
 * CACHE_SESSION_LANGUAGES_TTL_SECONDS: if an event is lost, the map is wrong for at most that long. Redis trouble
 * never fails a delivery: the map is read from Postgres and the error logged.
 */
@Injectable()
export class SessionLanguages {
  private readonly logger = new Logger(SessionLanguages.name);
  private readonly ttlSeconds: number;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.cache.sessionLanguagesTtlSeconds;
  }

  /** The session's target languages, with how many participants follow each, in language order. */
  async of(sessionId: string): Promise<SessionLanguage[]> {
    let version: string;
    try {
      const [current, cached] = await this.redis.cache.mget(
        sessionLanguagesVersionKey(sessionId),
        sessionLanguagesKey(sessionId),
      );
      if (current !== null && current !== undefined && cached !== null && cached !== undefined) {
        const entry = JSON.parse(cached) as CachedLanguages;
        if (entry.version === current) return entry.languages;
      }
      version = current ?? (await this.startVersion(sessionId));
    } catch (error) {
      this.logger.warn(`language map read failed, reading Postgres: ${String(error)}`);
      return this.load(sessionId);
    }
    const languages = await this.load(sessionId);
    const entry: CachedLanguages = { version, languages };
    await this.redis.cache
      .set(sessionLanguagesKey(sessionId), JSON.stringify(entry), 'EX', this.ttlSeconds)
      .catch((error: unknown) => this.logger.warn(`language map fill failed: ${String(error)}`));
    return languages;
  }

  /**
   * After a join or a leave has committed: every cached copy of the session's map stops being served. Throws on
   * a Redis failure, so the event that asked for it is retried.
   */
  async invalidate(sessionId: string): Promise<void> {
    await this.redis.cache.set(sessionLanguagesVersionKey(sessionId), randomUUID(), 'EX', this.ttlSeconds);
  }

  /** A new version when the session has none (first read, or the key expired or was evicted). */
  private async startVersion(sessionId: string): Promise<string> {
    const key = sessionLanguagesVersionKey(sessionId);
    const fresh = randomUUID();
    const set = await this.redis.cache.set(key, fresh, 'EX', this.ttlSeconds, 'NX');
    // Another reader or an invalidation got there first: theirs is the current version.
    return set === 'OK' ? fresh : ((await this.redis.cache.get(key)) ?? fresh);
  }

  private load(sessionId: string): Promise<SessionLanguage[]> {
    return this.dataSource.query<SessionLanguage[]>(SESSION_LANGUAGES_SQL, [sessionId]);
  }
}

/** The cached map; the hash tag keeps it on the slot of its version key in a Redis cluster (one MGET). */
export function sessionLanguagesKey(sessionId: string): string {
  return `session-languages:{${sessionId}}`;
}

export function sessionLanguagesVersionKey(sessionId: string): string {
  return `session-languages:{${sessionId}}:version`;
}
