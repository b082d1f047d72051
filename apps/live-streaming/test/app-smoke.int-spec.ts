import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(liveStreamingHarness);

describe('the app boots on its own database and Redis prefix', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers /health with Postgres and Redis up, without a token', async () => {
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

  it('has the indexes every hot query needs', async () => {
    const { rows } = await ctx.pool.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('follows', 'streams', 'profiles')
        ORDER BY indexname`,
    );
    expect(rows.map((row) => row.indexname)).toEqual([
      'follows_follower_created_idx',
      'follows_following_created_idx',
      'follows_pkey',
      'profiles_pkey',
      'profiles_username_key',
      'streams_live_started_idx',
      'streams_one_live_per_user_key',
      'streams_pkey',
      'streams_user_started_idx',
    ]);
  });
});
