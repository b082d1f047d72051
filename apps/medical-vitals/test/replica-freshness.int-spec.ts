import { useTestContext } from '@remedy/testing';
import { RuleCache } from '../src/alerts/rule-cache.service.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import {
  openReplicatedVitalsDatabase,
  type ReplicatedVitalsDatabase,
} from '../findings/support/replicated-database.js';
import { seedRegistry, type SeededDevice } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

// With a replica configured, the DataSource sends plain repository reads to it. Reads that must see a write
// just made (the rule cache reloading after an invalidation, a PATCH reading the row it updates) go to the
// primary, so a lagging replica (here: replay paused) never brings back the old rule.
const ctx = useTestContext(medicalVitalsHarness);
let db: ReplicatedVitalsDatabase;
let app: TestApp;
let device: SeededDevice;
let admin: StaffSession;

beforeAll(async () => {
  db = await openReplicatedVitalsDatabase(ctx);
  app = await startTestApp(ctx, {
    DATABASE_URL: db.databaseUrl,
    DATABASE_REPLICA_URL: db.replicaUrl,
    ALERT_EVALUATOR_ENABLED: 'false',
  });
  const registry = await seedRegistry(db.pool, { patients: 1 });
  [device] = registry.devices as [SeededDevice];
  admin = await signInStaff(
    { url: app.url, pool: db.pool },
    { role: 'ward_admin', hospitalId: registry.hospitalId, wardIds: registry.wardIds },
  );
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function send(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method,
    headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

test('the rule cache reloads an updated rule from the primary while the replica lags', async () => {
  const { rows } = await db.pool.query<{ id: string }>(
    "INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'heart_rate', 120) RETURNING id",
    [device.patientId],
  );
  await db.replica.waitForCatchUp();
  const rules = app.app.get(RuleCache);
  expect((await rules.rulesFor(device.patientId, device.wardId))[0]?.max).toBe(120);
  await db.replica.pauseReplay();
  try {
    const response = await send('PATCH', `/alert-rules/${rows[0]!.id}`, { max: 130 });
    expect(response.status).toBe(200);
    expect((await rules.rulesFor(device.patientId, device.wardId)).map((rule) => rule.max)).toEqual([130]);
  } finally {
    await db.replica.resumeReplay();
  }
});

test('a rule created a moment ago can be updated while the replica lags', async () => {
  await db.replica.pauseReplay();
  try {
    const created = await send('POST', '/alert-rules', {
      patientId: device.patientId,
      metric: 'spo2',
      min: 90,
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const updated = await send('PATCH', `/alert-rules/${id}`, { min: 92 });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ id, min: 92, version: 2 });
  } finally {
    await db.replica.resumeReplay();
  }
});
