import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fuzzHttpApi,
  fuzzSettings,
  summarizeFailures,
  useTestContext,
  type OpenApiDocument,
} from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedLiveStream } from '../findings/support/seed-live-stream.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(liveStreamingHarness);

/** Cases per operation: 24 operations × 80 ≈ 1,900 requests per run (FUZZ_RUNS_FACTOR scales it). */
const RUNS_PER_OPERATION = 80;

describe('API fuzz (OpenAPI-driven)', () => {
  let testApp: TestApp;
  let member: SessionBody;
  let streamer: SessionBody;
  let streamId: string;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    const api = new ApiClient(testApp.url);
    member = await api.signup('fuzz_member@example.com');
    streamer = await api.signup('fuzz_streamer@example.com');
    streamId = await seedLiveStream(ctx.pool, streamer.user.id);
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
      bearerToken: member.accessToken,
      knownPathValues: { id: [streamer.user.id, member.user.id, streamId] },
    });

    const failures = summarizeFailures(report.failures);
    expect({ seed: report.seed, failures }).toEqual({ seed: report.seed, failures: [] });
    expect(report.cases).toBeGreaterThanOrEqual(800);
    expect((await fetch(`${testApp.url}/health/live`)).status).toBe(200);
  }, 600_000);
});
