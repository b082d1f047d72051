import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { TranslationMetrics } from '../metrics/translation-metrics.js';
import { TranslationCache, type CacheScope, type ContentKind } from './translation-cache.js';

export type CacheTtls = Readonly<Record<ContentKind, number>>;

/**
 * Translations in the cache Redis (the evicting one, `allkeys-lru`: a full cache drops old translations instead
 * of refusing writes; never the queue Redis). The key holds everything that decides the wording, so no
 * invalidation pass is needed (polyglot-a:M-1, polyglot-b:S-3):
 *
 *   tr:{organisation}:{source}>{target}:{glossary id.version | -}:{sha256(text)}
 *
 * The organisation keeps one tenant's glossary wording from another; the glossary version makes the next
 * translation after a glossary update a miss (the old entries age out by TTL). TTL by content kind: speech
 * captions and chat rarely repeat (minutes), documents are re-read (a day). Each lookup's hits and misses go
 * to TranslationMetrics (the hit rate, polyglot-b:M-4).
 */
export class RedisTranslationCache extends TranslationCache {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: CacheTtls,
    private readonly metrics: TranslationMetrics,
  ) {
    super();
  }

  async lookup(scope: CacheScope, texts: readonly string[]): Promise<Array<string | undefined>> {
    if (texts.length === 0) return [];
    const cached = await this.redis.mget(...texts.map((text) => cacheKey(scope, text)));
    const answers = cached.map((value) => value ?? undefined);
    const hits = answers.filter((answer) => answer !== undefined).length;
    this.metrics.cacheLookedUp(scope.kind, hits, texts.length - hits);
    return answers;
  }

  async store(scope: CacheScope, texts: readonly string[], translations: readonly string[]): Promise<void> {
    if (texts.length === 0) return;
    const pipeline = this.redis.pipeline();
    texts.forEach((text, i) => {
      pipeline.set(cacheKey(scope, text), translations[i] ?? '', 'EX', this.ttlSeconds[scope.kind]);
    });
    await pipeline.exec();
  }
}

export function cacheKey(scope: CacheScope, text: string): string {
  const glossary = scope.glossary === undefined ? '-' : `${scope.glossary.id}.${scope.glossary.version}`;
  const digest = createHash('sha256').update(text).digest('base64url');
  return `tr:${scope.organisationId}:${scope.sourceLanguage}>${scope.targetLanguage}:${glossary}:${digest}`;
}
