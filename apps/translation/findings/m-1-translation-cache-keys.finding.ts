import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import {
  TextKeyedTranslationCache,
  UnexpiringTranslationCache,
  UnversionedTranslationCache,
} from '../katas/m-1-text-keyed-cache.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { TranslationCache } from '../src/translation/cache/translation-cache.js';
import { providerGlossaryName } from '../src/translation/glossary-of-pair.js';
import { ApiClient } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';
import { translateCall } from './support/translate-call.js';
import {
  googleGlossaryName,
  startTranslationProviders,
  type TranslationProviders,
} from './support/translation-providers.js';

const TEXTS = Array.from({ length: 10 }, (_, i) => `Remedy session ${i} starts now`);

const FLAWS = {
  'no glossary version in the key':
    'TranslationCache ← UnversionedTranslationCache: organisation, pair and TTL, but not the glossary version',
  'no TTL': "TranslationCache ← UnexpiringTranslationCache: the service's key, written without an expiry",
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function plug(make: (redis: RedisClients, config: AppConfig) => TranslationCache): ProviderPlug {
  return { provide: TranslationCache, inject: [REDIS_CLIENTS, APP_CONFIG], useFactory: make };
}

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [plug((redis) => new TextKeyedTranslationCache(redis.cache))],
  remediated: [],
  'no glossary version in the key': [
    plug((redis, config) => {
      const ttl = config.translationCache;
      return new UnversionedTranslationCache(redis.cache, {
        chat: ttl.chatTtlSeconds,
        caption: ttl.captionTtlSeconds,
        document: ttl.documentTtlSeconds,
      });
    }),
  ],
  'no TTL': [plug((redis) => new UnexpiringTranslationCache(redis.cache))],
};

/** Registers one glossary version at both providers, as the glossary service does on every update. */
function registerGlossary(
  providers: TranslationProviders,
  name: string,
  terms: Record<string, string>,
): void {
  providers.google.setGlossary(googleGlossaryName(name), terms);
  providers.deepl.setGlossary(name, terms);
}

/** Translations the service cached under the context's prefix that never expire. */
async function cachedWithoutTtl(ctx: FindingContext): Promise<number> {
  let withoutTtl = 0;
  let cursor = '0';
  do {
    const [next, keys] = await ctx.redis.scan(cursor, 'MATCH', `${ctx.prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const value = await ctx.redis.get(key).catch(() => null);
      if (value?.startsWith('[de] ') === true && (await ctx.redis.pttl(key)) === -1) withoutTtl += 1;
    }
  } while (cursor !== '0');
  return withoutTtl;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  const testApp = await startTestApp(ctx, providers.env, { plugs: PLUGS[run] });
  try {
    const api = new ApiClient(testApp.url);
    const organiser = await api.signup('m1_organiser@example.com');
    // The organisation's en→de glossary, version 1, made and changed through the glossary API, as an organiser does.
    const glossary = await api.expect<{ id: string }>(
      201,
      'POST',
      '/glossaries',
      { sourceLanguage: 'en', targetLanguage: 'de', terms: [{ source: 'Remedy', target: 'Remedium' }] },
      organiser.accessToken,
    );
    registerGlossary(providers, providerGlossaryName({ id: glossary.id, version: 1 }), {
      Remedy: 'Remedium',
    });
    const before = await translateCall(api, organiser.accessToken, TEXTS);

    // The organiser changes the term: the glossary's version goes up and the new version is registered.
    registerGlossary(providers, providerGlossaryName({ id: glossary.id, version: 2 }), {
      Remedy: 'Heilmittel',
    });
    await api.expect(
      200,
      'PUT',
      `/glossaries/${glossary.id}`,
      { terms: [{ source: 'Remedy', target: 'Heilmittel' }] },
      organiser.accessToken,
    );
    const after = await translateCall(api, organiser.accessToken, TEXTS);

    const stale = after.translations.filter((translation) => !translation.text.includes('Heilmittel')).length;
    const withoutTtl = await cachedWithoutTtl(ctx);
    ctx.log(
      `${run}: ${stale} stale translations after the glossary update, ${withoutTtl} cached without TTL`,
    );
    return {
      value: stale + withoutTtl,
      details: {
        'before the update: with the v1 term': before.translations.filter((t) => t.text.includes('Remedium'))
          .length,
        'after the update: stale (v1 term)': stale,
        'after the update: served from cache': after.translations.filter((t) => t.source === 'cache').length,
        'cached translations without TTL': withoutTtl,
        'example after the update': after.translations[0]?.text ?? '',
      },
    };
  } finally {
    await testApp.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-a:M-1',
  alsoCovers: ['polyglot-b:S-3'],
  title: 'Translation cache with no key scheme, TTL or invalidation',
  explanation:
    'The design caches translations in Redis without saying what the key holds, how long entries live or what ' +
    'invalidates them. Keyed by text and language pair, a glossary update keeps serving the old wording; without a ' +
    'TTL every translation stays until Redis is full. The remedy keys by organisation, pair, glossary id and version ' +
    'and a SHA-256 of the text, so a glossary update makes the next translation a miss with no invalidation pass ' +
    "(the pair's glossary version comes from a cache the update invalidates before it answers, ADR 0088), " +
    'sets a TTL by content kind (chat and captions 5 min, documents 24 h), lives on the evicting cache Redis and ' +
    `counts hits and misses. Measured through HTTP on the real app: ${TEXTS.length} texts translated with glossary ` +
    'v1, the glossary updated to v2 through PUT /glossaries/:id, the same texts translated again; the value adds the translations still in v1 ' +
    'wording and the cached translations without an expiry.',
  fix: [
    'src/translation/cache/redis-translation-cache.ts',
    'src/translation/translator.service.ts',
    'src/glossaries/pair-glossaries.ts',
  ],
  difficulty: 2,
  hints: [
    'Update a glossary and translate the same sentence again.',
    'Everything that decides the wording must be in the key, or be invalidated when it changes.',
    'A version number in the key makes old entries unreachable without deleting them; a TTL removes them later.',
    'The technique: versioned cache keys (organisation, pair, glossary version, text hash) with TTL by content kind.',
  ],
  seam: 'TranslationCache (Nest provider under Translator, behind POST /translations) ← katas/m-1-text-keyed-cache.flawed.ts TextKeyedTranslationCache',
  flawsPutBack: FLAWS,
  metric: {
    name: 'stale translations after a glossary update + cached translations without TTL',
    unit: 'translations',
    better: 'lower',
  },
  measure,
  flawed: (count) => count >= TEXTS.length,
  remediated: (count) => count === 0,
  timeoutMs: 120_000,
});
