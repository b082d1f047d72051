import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, request as httpRequest } from 'node:http';
import {
  TranslationProviderEmulator,
  waitUntil,
  type TranslationProviderEmulatorOptions,
} from '@remedy/testing';

const KEY = 'emulator-key';
const GOOGLE_PATH = '/v3/projects/remedy/locations/us-central1:translateText';
const GLOSSARY = 'projects/remedy/locations/us-central1/glossaries/product-names';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

describe('TranslationProviderEmulator', () => {
  let provider: TranslationProviderEmulator | undefined;

  afterEach(async () => {
    await provider?.stop();
    provider = undefined;
  });

  const start = async (options: TranslationProviderEmulatorOptions) => {
    provider = await TranslationProviderEmulator.start(options);
    return provider;
  };

  const post = async (
    emulator: TranslationProviderEmulator,
    path: string,
    body: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Answer> => {
    const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers, body, signal });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  const google = (emulator: TranslationProviderEmulator, body: unknown, key = KEY, signal?: AbortSignal) =>
    post(
      emulator,
      GOOGLE_PATH,
      JSON.stringify(body),
      { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      signal,
    );

  const deeplForm = (emulator: TranslationProviderEmulator, form: URLSearchParams, key = KEY) =>
    post(emulator, '/v2/translate', form.toString(), {
      authorization: `DeepL-Auth-Key ${key}`,
      'content-type': 'application/x-www-form-urlencoded',
    });

  const deeplJson = (emulator: TranslationProviderEmulator, body: unknown, signal?: AbortSignal) =>
    post(
      emulator,
      '/v2/translate',
      JSON.stringify(body),
      { authorization: `DeepL-Auth-Key ${KEY}`, 'content-type': 'application/json' },
      signal,
    );

  describe('Google Cloud Translation v3', () => {
    it('translates a batch into one language, with the glossary applied in glossaryTranslations', async () => {
      const emulator = await start({ api: 'google-v3' });
      emulator.setGlossary(GLOSSARY, { Remedy: 'Remedium' });
      const plain = await google(emulator, { contents: ['Hello', 'Grüße'], targetLanguageCode: 'de' });
      expect(plain).toEqual({
        status: 200,
        retryAfter: null,
        body: {
          translations: [
            { translatedText: '[de] Hello', detectedLanguageCode: 'en' },
            { translatedText: '[de] Grüße', detectedLanguageCode: 'en' },
          ],
        },
      });
      const withGlossary = await google(emulator, {
        contents: ['Remedy works'],
        sourceLanguageCode: 'en',
        targetLanguageCode: 'de',
        glossaryConfig: { glossary: GLOSSARY },
      });
      expect(withGlossary.body).toEqual({
        translations: [{ translatedText: '[de] Remedy works' }],
        glossaryTranslations: [
          { translatedText: '[de] Remedium works', glossaryConfig: { glossary: GLOSSARY } },
        ],
      });
      expect(emulator.calls.map(({ connection: _, ...call }) => call)).toEqual([
        {
          segments: 2,
          characters: 10,
          targetLanguage: 'de',
          texts: ['Hello', 'Grüße'],
          latencyMs: 0,
          status: 200,
        },
        {
          segments: 1,
          characters: 12,
          targetLanguage: 'de',
          texts: ['Remedy works'],
          latencyMs: 0,
          status: 200,
        },
      ]);
      expect({ segments: emulator.segmentsTranslated, characters: emulator.charactersTranslated }).toEqual({
        segments: 3,
        characters: 22,
      });
    });

    it('records the delay its latency distribution gave each call (the provider’s time, for a bench to set apart)', async () => {
      const emulator = await start({ api: 'google-v3', latency: { kind: 'fixed', ms: 5 } });
      await google(emulator, { contents: ['Hello'], targetLanguageCode: 'de' });
      expect(emulator.calls.map((call) => call.latencyMs)).toEqual([5]);
    });

    it("refuses what the real API refuses, in Google's error shape", async () => {
      const emulator = await start({ api: 'google-v3' });
      const denied = await google(emulator, { contents: ['a'], targetLanguageCode: 'de' }, 'wrong');
      expect(denied).toMatchObject({
        status: 401,
        body: { error: { code: 401, status: 'UNAUTHENTICATED' } },
      });
      const tooMany = await google(emulator, { contents: Array(1_025).fill('a'), targetLanguageCode: 'de' });
      expect(tooMany).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
      const tooLong = await google(emulator, { contents: ['x'.repeat(30_001)], targetLanguageCode: 'de' });
      expect(tooLong.status).toBe(400);
      const limit = await google(emulator, {
        contents: Array(1_024).fill('x'.repeat(29)),
        targetLanguageCode: 'de',
      });
      expect(limit.status).toBe(200);
      const noTarget = await google(emulator, { contents: ['a'] });
      expect(noTarget.status).toBe(400);
      emulator.setGlossary('projects/remedy/locations/europe-west1/glossaries/g', {});
      const elsewhere = await google(emulator, {
        contents: ['a'],
        sourceLanguageCode: 'en',
        targetLanguageCode: 'de',
        glossaryConfig: { glossary: 'projects/remedy/locations/europe-west1/glossaries/g' },
      });
      expect(elsewhere.status).toBe(400);
      const unknown = await google(emulator, {
        contents: ['a'],
        sourceLanguageCode: 'en',
        targetLanguageCode: 'de',
        glossaryConfig: { glossary: GLOSSARY },
      });
      expect(unknown).toMatchObject({ status: 404, body: { error: { status: 'NOT_FOUND' } } });
      const wrongRoute = await post(emulator, '/v2/translate', '{}', { authorization: `Bearer ${KEY}` });
      expect(wrongRoute.status).toBe(404);
      expect(emulator.calls.map((call) => call.status)).toEqual([401, 400, 400, 200, 400, 400, 404]);
    });
  });

  describe('DeepL v2', () => {
    it('translates form-encoded and JSON batches, the glossary applied when source_lang is given', async () => {
      const emulator = await start({ api: 'deepl-v2' });
      emulator.setGlossary('g-1', { Remedy: 'Remedium' });
      const form = new URLSearchParams([
        ['text', 'Hello'],
        ['text', 'Remedy'],
        ['target_lang', 'DE'],
      ]);
      expect(await deeplForm(emulator, form)).toEqual({
        status: 200,
        retryAfter: null,
        body: {
          translations: [
            { detected_source_language: 'EN', text: '[de] Hello' },
            { detected_source_language: 'EN', text: '[de] Remedy' },
          ],
        },
      });
      const json = await deeplJson(emulator, {
        text: ['Remedy'],
        target_lang: 'DE',
        source_lang: 'EN',
        glossary_id: 'g-1',
      });
      expect(json.body).toEqual({
        translations: [{ detected_source_language: 'EN', text: '[de] Remedium' }],
      });
      expect(emulator.segmentsTranslated).toBe(3);
    });

    it("refuses a bad key, more than 50 texts, a body over 128 KiB and a glossary without source_lang, in DeepL's shape", async () => {
      const emulator = await start({ api: 'deepl-v2' });
      const one = new URLSearchParams([
        ['text', 'a'],
        ['target_lang', 'DE'],
      ]);
      expect(await deeplForm(emulator, one, 'wrong')).toMatchObject({
        status: 403,
        body: { message: expect.any(String) },
      });
      expect((await deeplJson(emulator, { text: Array(51).fill('a'), target_lang: 'DE' })).status).toBe(400);
      expect((await deeplJson(emulator, { text: Array(50).fill('a'), target_lang: 'DE' })).status).toBe(200);
      expect((await deeplJson(emulator, { text: ['x'.repeat(128 * 1024)], target_lang: 'DE' })).status).toBe(
        413,
      );
      expect((await deeplJson(emulator, { text: ['a'], target_lang: 'DE', glossary_id: 'g-1' })).status).toBe(
        400,
      );
      expect((await deeplJson(emulator, { target_lang: 'DE' })).status).toBe(400);
    });
  });

  describe('limits', () => {
    it('answers 429 with Retry-After past the requests-per-second limit and admits again in the next second', async () => {
      let now = 10_000;
      const emulator = await start({ api: 'google-v3', requestsPerSecond: 2, clock: () => now });
      const call = () => google(emulator, { contents: ['a'], targetLanguageCode: 'de' });
      expect((await call()).status).toBe(200);
      now += 400;
      expect((await call()).status).toBe(200);
      const refused = await call();
      expect(refused).toMatchObject({
        status: 429,
        retryAfter: '1',
        body: { error: { status: 'RESOURCE_EXHAUSTED' } },
      });
      now += 600;
      expect((await call()).status).toBe(200);
      expect(emulator.tooManyRequestsSent).toBe(1);
    });

    it('keeps a per-minute character quota, refusing without using it, and says when it resets', async () => {
      let now = 60_000;
      const emulator = await start({ api: 'deepl-v2', charactersPerMinute: 20, clock: () => now });
      const call = (text: string) => deeplJson(emulator, { text: [text], target_lang: 'DE' });
      expect((await call('x'.repeat(15))).status).toBe(200);
      now += 15_000;
      const refused = await call('x'.repeat(10));
      expect(refused).toMatchObject({ status: 429, retryAfter: '45' });
      // The refused 10 characters used none of the quota: 5 still fit this minute.
      expect((await call('x'.repeat(5))).status).toBe(200);
      now += 45_000;
      expect((await call('x'.repeat(20))).status).toBe(200);
      expect(emulator.calls.map((c) => [c.characters, c.status])).toEqual([
        [15, 200],
        [10, 429],
        [5, 200],
        [20, 200],
      ]);
    });

    it('ends the billing period with 456 at DeepL and 429 RESOURCE_EXHAUSTED at Google', async () => {
      const deepl = await start({ api: 'deepl-v2', characterLimit: 5 });
      expect((await deeplJson(deepl, { text: ['abcde'], target_lang: 'DE' })).status).toBe(200);
      expect((await deeplJson(deepl, { text: ['f'], target_lang: 'DE' })).status).toBe(456);
      await deepl.stop();
      const googleProvider = await start({ api: 'google-v3', characterLimit: 5 });
      const exhausted = await google(googleProvider, { contents: ['abcdef'], targetLanguageCode: 'de' });
      expect(exhausted).toMatchObject({
        status: 429,
        retryAfter: null,
        body: { error: { status: 'RESOURCE_EXHAUSTED' } },
      });
    });
  });

  describe('faults and control', () => {
    it('answers an injected 5xx burst, then an outage until it ends', async () => {
      const emulator = await start({ api: 'google-v3' });
      const call = () => google(emulator, { contents: ['a'], targetLanguageCode: 'de' });
      emulator.failNext(503, 2);
      const burst = [await call(), await call(), await call()];
      expect(burst.map((answer) => answer.status)).toEqual([503, 503, 200]);
      expect(burst[0]?.body).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } });
      emulator.down = 500;
      expect([(await call()).status, (await call()).status]).toEqual([500, 500]);
      emulator.down = undefined;
      expect((await call()).status).toBe(200);
      expect(emulator.serverErrorsSent).toBe(4);
    });

    it('holds admitted calls until release, and counts a held caller that gives up as abandoned', async () => {
      const emulator = await start({ api: 'deepl-v2' });
      emulator.hold();
      const answers = Promise.all(
        [1, 2, 3].map((n) => deeplJson(emulator, { text: [`t${n}`], target_lang: 'FR' })),
      );
      await waitUntil('3 calls held', () => emulator.held === 3);
      expect({
        inFlight: emulator.inFlight,
        answered: emulator.calls.filter((c) => c.status !== 0).length,
      }).toEqual({
        inFlight: 3,
        answered: 0,
      });
      emulator.release();
      expect((await answers).map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(emulator.maxInFlight).toBe(3);

      emulator.hold();
      const givingUp = new AbortController();
      const gaveUp = deeplJson(emulator, { text: ['a'], target_lang: 'FR' }, givingUp.signal);
      await waitUntil('1 call held', () => emulator.held === 1);
      givingUp.abort();
      await expect(gaveUp).rejects.toThrow();
      await waitUntil('the held caller to leave', () => emulator.held === 0);
      emulator.release();
      await waitUntil('the abandoned call to be counted', () => emulator.abandoned === 1);
    });

    it('counts the TCP connections its callers open: one per call without keep-alive, the pool size with it', async () => {
      const emulator = await start({ api: 'google-v3' });
      const callThrough = (agent: Agent) =>
        new Promise<number>((resolve, reject) => {
          const body = JSON.stringify({ contents: ['a'], targetLanguageCode: 'de' });
          const outgoing = httpRequest(
            `${emulator.url}${GOOGLE_PATH}`,
            {
              method: 'POST',
              agent,
              headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            },
            (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            },
          );
          outgoing.on('error', reject);
          outgoing.end(body);
        });
      const pooled = new Agent({ keepAlive: true, maxSockets: 2 });
      for (let round = 0; round < 5; round += 1)
        await Promise.all([callThrough(pooled), callThrough(pooled)]);
      expect({ calls: emulator.calls.length, connections: emulator.connectionsOpened }).toEqual({
        calls: 10,
        connections: 2,
      });
      pooled.destroy();

      emulator.resetCounters();
      const fresh = new Agent({ keepAlive: false });
      for (let round = 0; round < 10; round += 1) await callThrough(fresh);
      expect({ calls: emulator.calls.length, connections: emulator.connectionsOpened }).toEqual({
        calls: 10,
        connections: 10,
      });
    });
  });
});
