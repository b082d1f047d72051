import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fuzzHttpApi,
  fuzzSettings,
  summarizeFailures,
  useTestContext,
  type OpenApiDocument,
} from '@remedy/testing';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

const ctx = useTestContext(medicalVitalsHarness);

/** Cases per operation; every operation of the OpenAPI document gets this many (FUZZ_RUNS_FACTOR scales it). */
const RUNS_PER_OPERATION = 60;

/** Every table a request can write; a refused request must leave each count as it was. */
const STORED_TABLES = [
  'wards',
  'patients',
  'devices',
  'alert_rules',
  'alerts',
  'staff',
  'staff_wards',
  'vital_data',
];

describe('API fuzz (OpenAPI-driven)', () => {
  let app: TestApp;
  let registry: SeededRegistry;
  let admin: StaffSession;
  let ruleId: string;

  beforeAll(async () => {
    app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
    registry = await seedRegistry(ctx.pool, { patients: 2 });
    // A hospital admin reaches every route (clinical, ward-manager and device roles); the generator also
    // sends each case anonymously, with a garbage token, or with the token where none is needed.
    admin = await signInStaff(
      { url: app.url, pool: ctx.pool },
      { role: 'hospital_admin', hospitalId: registry.hospitalId },
    );
    const rule = await fetch(`${app.url}/alert-rules`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ wardId: registry.wardIds[0], metric: 'heart_rate', max: 130 }),
    });
    ruleId = ((await rule.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers generated requests without a 5xx, with the documented error body on every 4xx, stores nothing it refuses, and stays up', async () => {
    const document = (await (await fetch(`${app.url}/docs-json`)).json()) as OpenApiDocument;
    const counts = `SELECT ${STORED_TABLES.map((table) => `(SELECT count(*) FROM ${table}) AS ${table}`).join(', ')}`;

    const report = await fuzzHttpApi({
      ...fuzzSettings(RUNS_PER_OPERATION),
      baseUrl: app.url,
      document,
      bearerToken: admin.accessToken,
      knownPathValues: {
        id: [
          ...registry.wardIds,
          ...registry.patientIds,
          ...registry.devices.map((device) => device.id),
          ruleId,
        ],
        wardId: registry.wardIds,
      },
      // Signing out would revoke the token the rest of the run signs in with; it is covered by its own tests.
      include: (operation) => operation.path !== '/auth/logout',
      storedState: async () => (await ctx.pool.query<Record<string, string>>(counts)).rows[0],
    });

    const failures = summarizeFailures(report.failures);
    expect({ seed: report.seed, failures }).toEqual({ seed: report.seed, failures: [] });
    expect(report.cases).toBeGreaterThanOrEqual(1_000);
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    process.stdout.write(
      `vitals HTTP fuzz: ${report.cases} cases, statuses ${JSON.stringify(report.statuses)}\n`,
    );
  }, 600_000);
});
