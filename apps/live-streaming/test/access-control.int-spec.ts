import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, type OpenApiDocument } from '@remedy/testing';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(liveStreamingHarness);

/**
 * The routes anyone may call, each public on purpose: /auth/* is how a caller gets a token (@Public()); /health
 * and /metrics are the probes' and Prometheus' (MemberGuard's library controllers); GET /streams/live is the same for
 * every viewer and CDN-cacheable (livestream:M5); the viewer page (/watch, its script, the page kit's files) is static and signs the
 * viewer in before it loads anything; the archive player page and its hls.js hold no data either (the page signs
 * in for the archive).
 */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /health/live',
  'GET /metrics',
  'GET /page-kit/{file}',
  'GET /streams/live',
  'GET /viewer-page.js',
  'GET /watch',
  'GET /watch/archive/{id}',
  'GET /watch/assets/hls.min.js',
  'GET /watch/{streamId}',
  'POST /auth/login',
  'POST /auth/logout',
  'POST /auth/refresh',
  'POST /auth/signup',
];

const SOME_ID = '00000000-0000-4000-8000-000000000000';

describe('every route needs an access token unless deliberately public', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers 401 without a token on every documented route but the public ones', async () => {
    const document = (await (await fetch(`${testApp.url}/docs-json`)).json()) as OpenApiDocument;
    const open: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        const url = `${testApp.url}${path.replace('{id}', SOME_ID)}`;
        const withBody = method === 'post' || method === 'patch';
        const response = await fetch(url, {
          method: method.toUpperCase(),
          ...(withBody ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
        });
        if (response.status !== 401) open.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(open.sort()).toEqual(PUBLIC_ROUTES);
  });

  it('refuses a forged token', async () => {
    const response = await fetch(`${testApp.url}/me`, { headers: { authorization: 'Bearer a.b.c' } });
    expect(response.status).toBe(401);
  });
});
