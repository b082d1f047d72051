import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TranslationProviderEmulator, useTestContext } from '@remedy/testing';
import { Redis } from 'ioredis';
import { translationHarness } from '../findings/support/translation-harness.js';
import { DeeplV2Engine } from '../src/translation/providers/deepl-v2-engine.js';
import { GoogleV3Engine } from '../src/translation/providers/google-v3-engine.js';
import { ProviderCallError } from '../src/translation/providers/provider-call-error.js';
import { keepAliveAgent, providerPoolSize } from '../src/translation/providers/provider-connection-pool.js';
import { ProviderHttpClient } from '../src/translation/providers/provider-http-client.js';
import { QuotaTokenBucket } from '../src/translation/providers/quota-token-bucket.js';

const ctx = useTestContext(translationHarness);

describe('translation engines against the provider emulators', () => {
  let google: TranslationProviderEmulator;
  let deepl: TranslationProviderEmulator;

  beforeAll(async () => {
    google = await TranslationProviderEmulator.start({ api: 'google-v3', apiKey: 'g' });
    deepl = await TranslationProviderEmulator.start({ api: 'deepl-v2', apiKey: 'd' });
  });

  afterAll(async () => {
    await Promise.all([google.stop(), deepl.stop()]);
  });

  const client = (engine: string, url: string, timeoutMs = 5_000) =>
    new ProviderHttpClient(engine, url, keepAliveAgent(url, 4), timeoutMs);

  it("splits a batch into Google's limits: 1,024 segments and 30,000 code points per call", async () => {
    const http = client('google-v3', google.url);
    const engine = new GoogleV3Engine(http, { project: 'p', location: 'us-central1', accessToken: 'g' });
    const many = Array.from({ length: 2_100 }, (_, i) => `t${i}`);
    const translated = await engine.translate({ texts: many, targetLanguage: 'fr' });
    expect(translated).toEqual(many.map((text) => `[fr] ${text}`));
    expect(google.calls.map((call) => call.segments)).toEqual([1_024, 1_024, 52]);
    google.resetCounters();
    const long = Array.from({ length: 4 }, () => 'x'.repeat(10_000));
    await engine.translate({ texts: long, targetLanguage: 'fr' });
    expect(google.calls.map((call) => call.characters)).toEqual([30_000, 10_000]);
    http.close();
  });

  it("splits a batch into DeepL's 50 texts per call and upper-cases its language codes", async () => {
    const http = client('deepl-v2', deepl.url);
    const engine = new DeeplV2Engine(http, { authKey: 'd' });
    const texts = Array.from({ length: 120 }, (_, i) => `t${i}`);
    expect(await engine.translate({ texts, targetLanguage: 'pt-BR' })).toEqual(
      texts.map((t) => `[pt-br] ${t}`),
    );
    expect(deepl.calls.map((call) => [call.segments, call.targetLanguage])).toEqual([
      [50, 'PT-BR'],
      [50, 'PT-BR'],
      [20, 'PT-BR'],
    ]);
    http.close();
  });

  it('turns statuses and a hung call into the failures of the policy table', async () => {
    const http = client('deepl-v2', deepl.url, 200);
    const engine = new DeeplV2Engine(http, { authKey: 'd' });
    const failureOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'none',
        (error: unknown) => (error instanceof ProviderCallError ? error.failure : 'other'),
      );
    deepl.characterLimit = 0;
    expect(await failureOf(engine.translate({ texts: ['a'], targetLanguage: 'de' }))).toBe('quota-exhausted');
    deepl.characterLimit = undefined;
    deepl.failNext(502);
    expect(await failureOf(engine.translate({ texts: ['a'], targetLanguage: 'de' }))).toBe('unavailable');
    const wrongKey = new DeeplV2Engine(http, { authKey: 'wrong' });
    expect(await failureOf(wrongKey.translate({ texts: ['a'], targetLanguage: 'de' }))).toBe('unauthorized');
    deepl.hold();
    expect(await failureOf(engine.translate({ texts: ['a'], targetLanguage: 'de' }))).toBe('timeout');
    deepl.release();
    http.close();
  });

  it("sizes the pool by Little's law with headroom", () => {
    expect(providerPoolSize({ peakCallsPerSecond: 200, p99LatencyMs: 300 })).toBe(90);
    expect(providerPoolSize({ peakCallsPerSecond: 1, p99LatencyMs: 10 })).toBe(1);
  });
});

describe('QuotaTokenBucket', () => {
  it('is one budget for every instance: two buckets on one Redis admit no more than the quota between them', async () => {
    const instances = [
      new Redis(ctx.redisUrl, { keyPrefix: `${ctx.prefix}:` }),
      new Redis(ctx.redisUrl, { keyPrefix: `${ctx.prefix}:` }),
    ];
    try {
      // 950 characters/min: budget 902, burst capacity 90, refill 13.5/s: nine calls of 10 characters go at once
      // and a tenth would wait about 740 ms for its tokens, so with no wait allowed it is refused.
      const buckets = instances.map(
        (redis) => new QuotaTokenBucket(redis, { engine: 'shared', charactersPerMinute: 950, maxWaitMs: 0 }),
      );
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          buckets[i % 2]!.acquire(10).then(
            () => 'admitted',
            (error: unknown) => (error instanceof ProviderCallError ? error.failure : 'other'),
          ),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === 'admitted')).toHaveLength(9);
      expect(outcomes.filter((outcome) => outcome === 'rate-limited')).toHaveLength(11);
    } finally {
      await Promise.all(instances.map((redis) => redis.quit()));
    }
  });

  it('refuses at once a call larger than the bucket can ever hold', async () => {
    const redis = new Redis(ctx.redisUrl, { keyPrefix: `${ctx.prefix}:` });
    try {
      const bucket = new QuotaTokenBucket(redis, {
        engine: 'small',
        charactersPerMinute: 1_000,
        maxWaitMs: 60_000,
      });
      await expect(bucket.acquire(5_000)).rejects.toMatchObject({ failure: 'rate-limited' });
      await expect(bucket.acquire(50)).resolves.toBeUndefined();
    } finally {
      await redis.quit();
    }
  });
});
