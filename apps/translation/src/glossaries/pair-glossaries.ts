import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';
import type { GlossaryRef } from '../translation/cache/translation-cache.js';
import { glossaryOfPair } from '../translation/glossary-of-pair.js';

/** A cached answer for a pair (`glossary: null` when the pair has none) and the version it was loaded under. */
interface CachedPairGlossary {
  version: string;
  glossary: GlossaryRef | null;
}

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
  private readonly logger = new Logger(PairGlossaries.name);
  private readonly ttlSeconds: number;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.cache.glossaryTtlSeconds;
  }

  /** The pair's glossary, or undefined when the organisation has none for it. */
  async of(pair: GlossaryPair): Promise<GlossaryRef | undefined> {
    let version: string;
    try {
      const [current, cached] = await this.redis.cache.mget(pairVersionKey(pair), pairGlossaryKey(pair));
      if (current !== null && current !== undefined && cached !== null && cached !== undefined) {
        const entry = JSON.parse(cached) as CachedPairGlossary;
        if (entry.version === current) return entry.glossary ?? undefined;
      }
      version = current ?? (await this.startVersion(pair));
    } catch (error) {
      this.logger.warn(`glossary read failed, reading Postgres: ${String(error)}`);
      return this.load(pair);
    }
    const glossary = await this.load(pair);
    const entry: CachedPairGlossary = { version, glossary: glossary ?? null };
    await this.redis.cache
      .set(pairGlossaryKey(pair), JSON.stringify(entry), 'EX', this.ttlSeconds)
      .catch((error: unknown) => this.logger.warn(`glossary fill failed: ${String(error)}`));
    return glossary;
  }

  /**
   * After a create, update or delete of the pair's glossary has committed, before it is acknowledged: every cached
   * answer for the pair stops being served. Throws on a Redis failure, so the change is not acknowledged as in
   * effect while an instance may still apply the old glossary.
   */
  async invalidate(pair: GlossaryPair): Promise<void> {
    await this.redis.cache.set(pairVersionKey(pair), randomUUID(), 'EX', this.ttlSeconds);
  }

  /** A new version when the pair has none (first read, or the key expired or was evicted). */
  private async startVersion(pair: GlossaryPair): Promise<string> {
    const key = pairVersionKey(pair);
    const fresh = randomUUID();
    const set = await this.redis.cache.set(key, fresh, 'EX', this.ttlSeconds, 'NX');
    // Another reader or an invalidation got there first: theirs is the current version.
    return set === 'OK' ? fresh : ((await this.redis.cache.get(key)) ?? fresh);
  }

  private load(pair: GlossaryPair): Promise<GlossaryRef | undefined> {
    return glossaryOfPair(this.dataSource, pair.organisationId, pair.sourceLanguage, pair.targetLanguage);
  }
}

/** The cached answer; the hash tag keeps it on the slot of its version key in a Redis cluster (one MGET). */
export function pairGlossaryKey(pair: GlossaryPair): string {
  return `pair-glossary:{${pair.organisationId}:${pair.sourceLanguage}>${pair.targetLanguage}}`;
}

export function pairVersionKey(pair: GlossaryPair): string {
  return `${pairGlossaryKey(pair)}:version`;
}
