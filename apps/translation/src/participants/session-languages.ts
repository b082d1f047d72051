import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { VersionedCache } from '../redis/versioned-cache.js';
import type { SessionLanguage } from './participant.js';
import { SESSION_LANGUAGES_SQL } from './participants.sql.js';

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
  private readonly cache: VersionedCache<string, SessionLanguage[]>;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new VersionedCache({
      redis: redis.cache,
      logger: new Logger(SessionLanguages.name),
      what: 'language map',
      ttlSeconds: config.cache.sessionLanguagesTtlSeconds,
      valueKey: sessionLanguagesKey,
      versionKey: sessionLanguagesVersionKey,
      field: 'languages',
      load: (sessionId) => dataSource.query<SessionLanguage[]>(SESSION_LANGUAGES_SQL, [sessionId]),
    });
  }

  /** The session's target languages, with how many participants follow each, in language order. */
  of(sessionId: string): Promise<SessionLanguage[]> {
    return this.cache.get(sessionId);
  }

  /**
   * After a join or a leave has committed: every cached copy of the session's map stops being served. Throws on
   * a Redis failure, so the event that asked for it is retried.
   */
  invalidate(sessionId: string): Promise<void> {
    return this.cache.invalidate(sessionId);
  }
}

/** The cached map; the hash tag keeps it on the slot of its version key in a Redis cluster (one MGET). */
export function sessionLanguagesKey(sessionId: string): string {
  return `session-languages:{${sessionId}}`;
}

export function sessionLanguagesVersionKey(sessionId: string): string {
  return `session-languages:{${sessionId}}:version`;
}
