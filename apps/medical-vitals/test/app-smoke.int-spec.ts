import { useTestContext } from '@remedy/testing';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp(ctx);
});
afterAll(async () => {
  await app?.close();
});

test('boots and reports healthy Postgres and Redis', async () => {
  const response = await fetch(`${app.url}/health`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { status: string };
  expect(body.status).toBe('ok');
});

test('serves Prometheus metrics with the write-path series', async () => {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  expect(text).toContain('vitals_readings_received_total');
  expect(text).toContain('vitals_write_flush_duration_seconds');
});

test('serves the OpenAPI document', async () => {
  const response = await fetch(`${app.url}/docs-json`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { paths: Record<string, unknown> };
  expect(Object.keys(body.paths)).toContain('/devices');
});

test('premade vital_data partitions exist around today', async () => {
  const { rows } = await ctx.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'vital_data'::regclass",
  );
  expect(rows[0]!.n).toBeGreaterThanOrEqual(8);
});
