import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fuzzHttpApi,
  fuzzSettings,
  summarizeFailures,
  useTestContext,
  type OpenApiDocument,
} from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';

const ctx = useTestContext(translationHarness);

/** Cases per operation: 19 operations × 60 ≈ 1,100 requests per run (FUZZ_RUNS_FACTOR scales it). */
const RUNS_PER_OPERATION = 60;

describe('API fuzz (OpenAPI-driven)', () => {
  let testApp: TestApp;
  let providers: TranslationProviders;
  let organiser: AuthSessionBody;
  let sessionId: string;
  let glossaryId: string;

  beforeAll(async () => {
    // Valid translation requests must reach real provider emulators: without engines the service rightly
    // answers 503, which would hide a real 5xx among the generated cases.
    providers = await startTranslationProviders();
    testApp = await startTestApp(ctx, providers.env);
    const api = new ApiClient(testApp.url);
    organiser = await api.signup('fuzz_organiser@example.com');
    ({ id: sessionId } = await api.expect<{ id: string }>(
      201,
      'POST',
      '/sessions',
      { title: 'Fuzzed', sourceLanguage: 'en' },
      organiser.accessToken,
    ));
    ({ id: glossaryId } = await api.expect<{ id: string }>(
      201,
      'POST',
      '/glossaries',
      { sourceLanguage: 'en', targetLanguage: 'fr', terms: [{ source: 'talk', target: 'exposé' }] },
      organiser.accessToken,
    ));
  });

  afterAll(async () => {
    await testApp.close();
    await providers.stop();
  });

  it('answers hundreds of generated requests without a 5xx, with the documented error body on every 4xx, and stays up', async () => {
    const document = (await (await fetch(`${testApp.url}/docs-json`)).json()) as OpenApiDocument;
    const report = await fuzzHttpApi({
      ...fuzzSettings(RUNS_PER_OPERATION),
      baseUrl: testApp.url,
      document,
      bearerToken: organiser.accessToken,
      knownPathValues: { id: [sessionId, glossaryId, organiser.user.id] },
    });

    const failures = summarizeFailures(report.failures);
    expect({ seed: report.seed, failures }).toEqual({ seed: report.seed, failures: [] });
    expect(report.cases).toBeGreaterThanOrEqual(600);
    expect((await fetch(`${testApp.url}/health/live`)).status).toBe(200);
  }, 600_000);
});
