import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { ApiClient } from '../findings/support/api-client.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';

const ctx = useTestContext(translationHarness);

interface Translations {
  translations: Array<{ text: string; source: string }>;
}

describe('POST /translations', () => {
  let providers: TranslationProviders;
  let testApp: TestApp;
  let api: ApiClient;
  let organiser: string;

  beforeAll(async () => {
    providers = await startTranslationProviders();
    testApp = await startTestApp(ctx, {
      ...providers.env,
      TRANSLATION_BREAKER_VOLUME: '3',
      TRANSLATION_BREAKER_RESET_MS: '600000',
      TRANSLATION_TIMEOUT_MS: '5000',
    });
    api = new ApiClient(testApp.url);
    organiser = (await api.signup('translations_organiser@example.com')).accessToken;
  });

  afterEach(() => {
    providers.google.down = undefined;
    providers.deepl.down = undefined;
  });

  afterAll(async () => {
    await testApp.close();
    await providers.stop();
  });

  const translate = (texts: string[], token = organiser, kind = 'chat') =>
    api.call<Translations>(
      'POST',
      '/translations',
      { texts, sourceLanguage: 'en', targetLanguage: 'de', kind },
      token,
    );

  it('translates a batch in one Google call, each distinct text once, and answers a repeat from the cache', async () => {
    const first = await translate(['Good morning', 'Thank you', 'Good morning']);
    expect(first).toEqual({
      status: 200,
      body: {
        translations: [
          { text: '[de] Good morning', source: 'google-v3' },
          { text: '[de] Thank you', source: 'google-v3' },
          { text: '[de] Good morning', source: 'google-v3' },
        ],
      },
    });
    expect(providers.google.calls.at(-1)).toMatchObject({ segments: 2, status: 200 });
    const callsBefore = providers.google.calls.length;
    const again = await translate(['Thank you']);
    expect(again.body.translations).toEqual([{ text: '[de] Thank you', source: 'cache' }]);
    expect(providers.google.calls.length).toBe(callsBefore);
    const metrics = await (await fetch(`${testApp.url}/metrics`)).text();
    expect(metrics).toMatch(/translation_cache_lookups_total\{kind="chat",result="miss"[^}]*\} 3/);
    expect(metrics).toMatch(/translation_cache_lookups_total\{kind="chat",result="hit"[^}]*\} 1/);
  });

  it('refuses viewers and bad input with field-level details', async () => {
    const viewer = await api.addMember(organiser, 'translations_viewer@example.com', 'viewer');
    expect((await translate(['Hello'], viewer.accessToken)).status).toBe(403);
    expect((await api.call('POST', '/translations', { texts: ['Hello'] })).status).toBe(401);
    const bad = await api.call<{ details: Array<{ field: string }> }>(
      'POST',
      '/translations',
      { texts: [], sourceLanguage: 'english', targetLanguage: 'de', kind: 'poem' },
      organiser,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail) => detail.field).sort()).toEqual([
      'kind',
      'sourceLanguage',
      'texts',
    ]);
  });

  it('falls back to DeepL while Google fails, and stops calling Google once its breaker opens', async () => {
    providers.google.down = 503;
    const callsBefore = providers.google.calls.length;
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await translate([`Outage message ${i}`]));
    const callsWhileOpening = providers.google.calls.length - callsBefore;
    for (let i = 3; i < 6; i += 1) answers.push(await translate([`Outage message ${i}`]));
    expect(answers.map((answer) => answer.body.translations[0]?.source)).toEqual(Array(6).fill('deepl-v2'));
    // Breaker volume 3: three failures in a row open it at the latest; then Google is not called at all.
    expect(callsWhileOpening).toBeLessThanOrEqual(3);
    expect(providers.google.calls.length - callsBefore).toBe(callsWhileOpening);
    const metrics = await (await fetch(`${testApp.url}/metrics`)).text();
    expect(metrics).toMatch(/translation_fallbacks_total\{reason="unavailable"[^}]*\} 6/);
    expect(metrics).toMatch(/translation_breaker_state\{engine="google-v3"[^}]*\} 2/);
  });

  it('answers 503 with Retry-After, and no provider detail, when every engine fails', async () => {
    providers.google.down = 503;
    providers.deepl.down = 500;
    const response = await fetch(`${testApp.url}/translations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${organiser}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        texts: ['Nobody home'],
        sourceLanguage: 'en',
        targetLanguage: 'de',
        kind: 'chat',
      }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).not.toBeNull();
    expect(JSON.stringify(await response.json())).not.toMatch(/deepl|google|emulator/i);
  });
});

describe('the Google breaker', () => {
  let providers: TranslationProviders;
  let testApp: TestApp;
  let api: ApiClient;
  let organiser: string;

  beforeAll(async () => {
    providers = await startTranslationProviders();
    testApp = await startTestApp(ctx, {
      ...providers.env,
      TRANSLATION_BREAKER_VOLUME: '2',
      TRANSLATION_BREAKER_RESET_MS: '500',
    });
    api = new ApiClient(testApp.url);
    organiser = (await api.signup('breaker_organiser@example.com')).accessToken;
  });

  afterAll(async () => {
    await testApp.close();
    await providers.stop();
  });

  const translate = (text: string) =>
    api.call<Translations>(
      'POST',
      '/translations',
      { texts: [text], sourceLanguage: 'en', targetLanguage: 'de', kind: 'chat' },
      organiser,
    );
  const breakerState = async () => {
    const metrics = await (await fetch(`${testApp.url}/metrics`)).text();
    return Number(/translation_breaker_state\{engine="google-v3"[^}]*\} (\d)/.exec(metrics)?.[1]);
  };

  it('opens on failures, half-opens after the reset time, and closes again on a successful trial call', async () => {
    providers.google.down = 503;
    expect((await translate('Breaker one')).body.translations[0]?.source).toBe('deepl-v2');
    // Open, or already half-open if the request outlived the reset time: not closed either way. Failing fast
    // while open is the test above (its breaker stays open for ten minutes).
    expect(await breakerState()).toBeGreaterThanOrEqual(1);
    providers.google.down = undefined;
    await waitUntil('the breaker to half-open', async () => (await breakerState()) === 1);
    expect((await translate('Breaker three')).body.translations[0]?.source).toBe('google-v3');
    expect(await breakerState()).toBe(0);
  });
});
