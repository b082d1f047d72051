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
import { documentsHarness } from '../findings/support/documents-harness.js';

const ctx = useTestContext(documentsHarness);

/** Cases per operation: 17 operations × 60 ≈ 1,000 requests per run (FUZZ_RUNS_FACTOR scales it). */
const RUNS_PER_OPERATION = 60;

describe('API fuzz (OpenAPI-driven)', () => {
  let testApp: TestApp;
  let admin: AuthSessionBody;
  let documentId: string;
  let versionId: string;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    const api = new ApiClient(testApp.url);
    admin = await api.signup('fuzz_admin@example.com');
    ({ id: documentId } = await api.expect<{ id: string }>(
      201,
      'POST',
      '/documents',
      { title: 'Fuzzed' },
      admin.accessToken,
    ));
    ({ id: versionId } = await api.expect<{ id: string }>(
      201,
      'POST',
      `/documents/${documentId}/versions`,
      { name: 'Fuzzed version' },
      admin.accessToken,
    ));
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers hundreds of generated requests without a 5xx, with the documented error body on every 4xx, and stays up', async () => {
    const document = (await (await fetch(`${testApp.url}/docs-json`)).json()) as OpenApiDocument;
    const report = await fuzzHttpApi({
      ...fuzzSettings(RUNS_PER_OPERATION),
      baseUrl: testApp.url,
      document,
      bearerToken: admin.accessToken,
      knownPathValues: { id: [documentId, admin.user.id], versionId: [versionId] },
    });

    const failures = summarizeFailures(report.failures);
    expect({ seed: report.seed, failures }).toEqual({ seed: report.seed, failures: [] });
    expect(report.cases).toBeGreaterThanOrEqual(1_000);
    expect((await fetch(`${testApp.url}/health/live`)).status).toBe(200);
  }, 600_000);
});
