import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fuzzHttpApi,
  fuzzSettings,
  summarizeFailures,
  useTestContext,
  type OpenApiDocument,
} from '@remedy/testing';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import {
  bearer,
  seedEvents,
  seedUsers,
  type SeededEvent,
  type SeededUser,
} from '../findings/support/seed.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

/** Cases per operation: 23 operations × 80 = 1,840 requests per run (FUZZ_RUNS_FACTOR scales it). */
const RUNS_PER_OPERATION = 80;

describe('API fuzz (OpenAPI-driven)', () => {
  let testApp: TestApp;
  let organiser: SeededUser;
  let eventId: string;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
    [{ id: eventId }] = (await seedEvents(ctx.pool, organiser.id, 1)) as [SeededEvent];
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers thousands of generated requests without a 5xx, with the documented error body on every 4xx, and stays up', async () => {
    const document = (await (await fetch(`${testApp.url}/docs-json`)).json()) as OpenApiDocument;
    const token = (await bearer(testApp.app, organiser)).authorization?.replace(/^Bearer /, '');
    const settings = fuzzSettings(RUNS_PER_OPERATION);

    const report = await fuzzHttpApi({
      ...settings,
      baseUrl: testApp.url,
      document,
      bearerToken: token,
      knownPathValues: { id: [eventId] },
    });

    const failures = summarizeFailures(report.failures);
    expect({ seed: report.seed, failures }).toEqual({ seed: report.seed, failures: [] });
    expect(report.cases).toBeGreaterThanOrEqual(1_500);
    expect((await fetch(`${testApp.url}/health/live`)).status).toBe(200);
    // Megabyte bodies and deep nesting make some cases slow; the case count, not the clock, bounds the run.
  }, 600_000);
});
