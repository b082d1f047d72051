import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient } from '../findings/support/api-client.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { documentsHarness } from '../findings/support/documents-harness.js';

const ctx = useTestContext(documentsHarness);

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

  it('signs up an admin with a new organisation, who adds a viewer of the same organisation', async () => {
    const api = new ApiClient(testApp.url);
    const admin = await api.signup('smoke_admin@example.com');
    expect(admin.user.role).toBe('admin');
    const viewer = await api.addMember(admin.accessToken, 'smoke_viewer@example.com', 'viewer');
    const me = await api.expect<{ role: string; organisationId: string }>(
      200,
      'GET',
      '/me',
      undefined,
      viewer.accessToken,
    );
    expect(me).toMatchObject({ role: 'viewer', organisationId: admin.user.organisationId });
  });
});
