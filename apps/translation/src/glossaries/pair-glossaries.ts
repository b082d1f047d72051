import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { VersionedCache } from '../redis/versioned-cache.js';
import type { GlossaryRef } from '../translation/cache/translation-cache.js';
import { glossaryOfPair } from '../translation/glossary-of-pair.js';

/** The organisation and language pair a translation applies a glossary for. */
export interface GlossaryPair {
  organisationId: string;
  sourceLanguage: string;
  targetLanguage: string;
}

/**
 * Which glossary (id and version) a translation for an organisation's language pair applies, or none: asked once
 * per target language of every message and every POST /translations, and kept in the cache Redis (the evicting
 * one), shared by every API and worker instance, so a warm pair costs no database read. Most pairs have no
 * glossary: that answer is cached too.
 *
 * Versioned like the session language map (ADR 0061, ADR 0088): the glossary service writes a fresh random
 * version for the pair after its create, update or delete commits and before it answers, and a cached answer is
 * served only while it carries the current version. A reader that loaded the old row just before the commit
 * stores it under the old version, which is no longer current, so no translation started after the update was
 * acknowledged applies the old glossary, on any instance. A version key lost to eviction or expiry is replaced by
 * a new random one, never an old value. Both keys expire after CACHE_GLOSSARY_TTL_SECONDS (reads do not extend
 * them). Redis trouble never fails a translation: the pair is read from Postgres and the error logged.
 */
@Injectable()
export class PairGlossaries {
  private readonly cache: VersionedCache<GlossaryPair, GlossaryRef | null>;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new VersionedCache({
      redis: redis.cache,
      logger: new Logger(PairGlossaries.name),
      what: 'glossary',
      ttlSeconds: config.cache.glossaryTtlSeconds,
      valueKey: pairGlossaryKey,
      versionKey: pairVersionKey,
      field: 'glossary',
      load: async (pair) =>
        (await glossaryOfPair(dataSource, pair.organisationId, pair.sourceLanguage, pair.targetLanguage)) ??
        null,
    });
  }

  /** The pair's glossary, or undefined when the organisation has none for it. */
  async of(pair: GlossaryPair): Promise<GlossaryRef | undefined> {
    return (await this.cache.get(pair)) ?? undefined;
  }

  /**
   * After a create, update or delete of the pair's glossary has committed, before it is acknowledged: every cached
   * answer for the pair stops being served. Throws on a Redis failure, so the change is not acknowledged as in
   * effect while an instance may still apply the old glossary.
   */
  invalidate(pair: GlossaryPair): Promise<void> {
    return this.cache.invalidate(pair);
  }
}

/** The cached answer; the hash tag keeps it on the slot of its version key in a Redis cluster (one MGET). */
export function pairGlossaryKey(pair: GlossaryPair): string {
  return `pair-glossary:{${pair.organisationId}:${pair.sourceLanguage}>${pair.targetLanguage}}`;
}

export function pairVersionKey(pair: GlossaryPair): string {
  return `${pairGlossaryKey(pair)}:version`;
}
