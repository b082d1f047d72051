import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, type OpenApiDocument } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';

const ctx = useTestContext(translationHarness);

/**
 * The routes anyone may call, each public on purpose: /auth/* is how a caller gets a token (@Public()); /health
 * and /metrics are the probes' and Prometheus' (MemberGuard's library controllers); the session page (/room, its
 * script, the page kit's files) is static and signs the participant in before it loads anything.
 */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /health/live',
  'GET /metrics',
  'GET /page-kit/{file}',
  'GET /room',
  'GET /room/{sessionId}',
  'GET /session-page.js',
  'POST /auth/login',
  'POST /auth/logout',
  'POST /auth/refresh',
  'POST /auth/signup',
];

const SOME_ID = '00000000-0000-4000-8000-000000000000';

interface Operation {
  method: string;
  path: string;
}

describe('every route needs a token, a role it names and the caller’s organisation, unless deliberately public', () => {
  let testApp: TestApp;
  let operations: Operation[];

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    const document = (await (await fetch(`${testApp.url}/docs-json`)).json()) as OpenApiDocument;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method, path })),
    );
  });

  afterAll(async () => {
    await testApp.close();
  });

  const send = (operation: Operation, token?: string): Promise<Response> => {
    const withBody = ['post', 'put', 'patch'].includes(operation.method);
    const headers: Record<string, string> = withBody ? { 'content-type': 'application/json' } : {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    return fetch(`${testApp.url}${operation.path.replace('{id}', SOME_ID)}`, {
      method: operation.method.toUpperCase(),
      headers,
      ...(withBody ? { body: '{}' } : {}),
    });
  };

  it('answers 401 without a token on every documented route but the public ones', async () => {
    const open: string[] = [];
    for (const operation of operations) {
      if ((await send(operation)).status !== 401)
        open.push(`${operation.method.toUpperCase()} ${operation.path}`);
    }
    expect(open.sort()).toEqual(PUBLIC_ROUTES);
  });

  it('has every protected route name its roles (a route naming none refuses everyone)', async () => {
    const api = new ApiClient(testApp.url);
    const organiser = await api.signup('access_organiser@example.com');
    const members: AuthSessionBody[] = [
      organiser,
      await api.addMember(organiser.accessToken, 'access_speaker@example.com', 'speaker'),
      await api.addMember(organiser.accessToken, 'access_viewer@example.com', 'viewer'),
    ];
    const unnamed: string[] = [];
    for (const operation of operations) {
      for (const member of members) {
        const response = await send(operation, member.accessToken);
        const text = await response.text();
        if (response.status !== 403) continue;
        const body = JSON.parse(text) as { message: string };
        if (body.message === 'this route names no role')
          unnamed.push(`${operation.method} ${operation.path}`);
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('refuses a forged token', async () => {
    const response = await fetch(`${testApp.url}/me`, { headers: { authorization: 'Bearer a.b.c' } });
    expect(response.status).toBe(401);
  });
});
