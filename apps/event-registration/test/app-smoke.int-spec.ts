import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

describe('the app boots on its own database and Redis prefix', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers /health with Postgres and Redis up', async () => {
    const response = await fetch(`${testApp.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; info: Record<string, unknown> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.info).sort()).toEqual(['postgres', 'redis']);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const response = await fetch(`${testApp.url}/docs-json`);
    expect(response.status).toBe(200);
  });

  it('answers an unknown route with the error body', async () => {
    const response = await fetch(`${testApp.url}/no-such-route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.any(String) as unknown as string,
      details: [],
    });
  });

  it('has monthly partitions ahead and a migrated schema', async () => {
    const { rows } = await ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'registrations'::regclass AND c.relname LIKE 'registrations_p%'`,
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(12);
  });
});
