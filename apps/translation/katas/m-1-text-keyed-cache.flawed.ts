import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { cacheKey, type CacheTtls } from '../src/translation/cache/redis-translation-cache.js';
import { TranslationCache, type CacheScope } from '../src/translation/cache/translation-cache.js';

/*
 * polyglot-a:M-1, polyglot-b:S-3 — the design caches translation results in Redis with no key scheme, TTL or
 * invalidation. The natural key is the text and the language pair; nothing says which glossary produced the
 * wording, so after an organisation updates its glossary the old wording keeps being served, and with no TTL
 * every translation ever made stays until Redis runs out of memory. TextKeyedTranslationCache takes
 * TranslationCache's place under the real Translator and route, on the same cache Redis.
 */
export class TextKeyedTranslationCache extends TranslationCache {
  constructor(protected readonly redis: Redis) {
    super();
  }

  async lookup(scope: CacheScope, texts: readonly string[]): Promise<Array<string | undefined>> {
    if (texts.length === 0) return [];
    const cached = await this.redis.mget(...texts.map((text) => this.keyOf(scope, text)));
    return cached.map((value) => value ?? undefined);
  }

  async store(scope: CacheScope, texts: readonly string[], translations: readonly string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    texts.forEach((text, i) => pipeline.set(this.keyOf(scope, text), translations[i] ?? ''));
    await pipeline.exec();
  }

  protected keyOf(scope: CacheScope, text: string): string {
    const digest = createHash('md5').update(text).digest('hex');
    return `translation:${digest}:${scope.sourceLanguage}:${scope.targetLanguage}`;
  }
}

/* Close cousins, put back into the remediated service. */

/** Organisation, pair and TTL, but no glossary version: an updated glossary's wording waits for the TTL. */
export class UnversionedTranslationCache extends TextKeyedTranslationCache {
  constructor(
    redis: Redis,
    private readonly ttlSeconds: CacheTtls,
  ) {
    super(redis);
  }

  override async store(
    scope: CacheScope,
    texts: readonly string[],
    translations: readonly string[],
  ): Promise<void> {
    const pipeline = this.redis.pipeline();
    texts.forEach((text, i) =>
      pipeline.set(this.keyOf(scope, text), translations[i] ?? '', 'EX', this.ttlSeconds[scope.kind]),
    );
    await pipeline.exec();
  }

  protected override keyOf(scope: CacheScope, text: string): string {
    return cacheKey({ ...scope, glossary: undefined }, text);
  }
}

/** The service's key, written without a TTL: nothing leaves the cache but by eviction. */
export class UnexpiringTranslationCache extends TextKeyedTranslationCache {
  protected override keyOf(scope: CacheScope, text: string): string {
    return cacheKey(scope, text);
  }
}
