import { useTestContext, waitUntil } from '@remedy/testing';
import { AlertStore } from '../src/alerts/alert-store.service.js';
import { LiveDashboardClient } from '../findings/live-support/live-dashboard-client.js';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { NotificationProvider } from '../findings/support/notification-provider.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let provider: NotificationProvider;
let registry: SeededRegistry;
let admin: StaffSession;

beforeAll(async () => {
  provider = await NotificationProvider.start();
  app = await startTestApp(ctx, { NOTIFY_URL: provider.url, DEVICE_RATE_BURST: '100' });
  registry = await seedRegistry(ctx.pool, { wards: 1, patients: 2 });
  admin = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'ward_admin', hospitalId: registry.hospitalId, wardIds: registry.wardIds },
  );
});
afterAll(async () => {
  await app?.close();
  await provider?.stop();
});

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

test('rejects an invalid rule with field-level details', async () => {
  const response = await post('/alert-rules', { patientId: 'nope', metric: 'pulse', min: 'x' });
  expect(response.status).toBe(400);
  const body = (await response.json()) as { statusCode: number; error: string; details: { field: string }[] };
  expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  expect(body.details.map((detail) => detail.field)).toEqual(
    expect.arrayContaining(['patientId', 'metric', 'min']),
  );
});

test('one alert per breach episode, on the alerts stream and at the provider', async () => {
  const device = registry.devices[0]!;
  const rule = await post('/alert-rules', { wardId: device.wardId, metric: 'heart_rate', max: 120 });
  expect(rule.status).toBe(201);
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  // Two episodes: readings 3–5 and 8–9 breach; every other reading is in range.
  const series = readings(12).map((reading, index) => ({
    ...reading,
    heartRate: [3, 4, 5, 8, 9].includes(index) ? 150 : 80,
  }));
  client.sendReadings(series.slice(0, 6));
  client.sendReadings(series.slice(6));
  await client.untilAcked(11);
  // The evaluator raises the second alert (reading 8) before it clears it (reading 10): wait for both, in the
  // database and on the alerts stream (appended after the commit, so it can trail the rows by a moment).
  await waitUntil('two alerts, both cleared, all four on the stream', async () => {
    const { rows } = await ctx.pool.query<{ n: number; cleared: number }>(
      `SELECT count(*)::int AS n, count(cleared_at)::int AS cleared FROM alerts WHERE patient_id = $1`,
      [device.patientId],
    );
    const appended = await ctx.redis.xlen(`${ctx.prefix}:vitals:alerts`);
    return rows[0]!.n >= 2 && rows[0]!.cleared >= 2 && appended >= 4;
  });
  const { rows } = await ctx.pool.query<{ raised_at: Date; cleared_at: Date | null }>(
    'SELECT raised_at, cleared_at FROM alerts WHERE patient_id = $1 ORDER BY raised_at',
    [device.patientId],
  );
  expect(rows.map((row) => row.raised_at.toISOString())).toEqual([
    series[3]!.recordedAt,
    series[8]!.recordedAt,
  ]);
  expect(rows.map((row) => row.cleared_at?.toISOString())).toEqual([
    series[6]!.recordedAt,
    series[10]!.recordedAt,
  ]);
  const entries = (await ctx.redis.xrange(`${ctx.prefix}:vitals:alerts`, '-', '+')) as [string, string[]][];
  // Each raise and each clearing is one entry, in episode order: raised, cleared, raised, cleared.
  expect(entries.map(([, fields]) => fields[0])).toEqual(['alert', 'cleared', 'alert', 'cleared']);
  const [raised, cleared] = entries.map(([, fields]) => JSON.parse(fields[1]!) as { id: string });
  expect(raised).toMatchObject({
    patientId: device.patientId,
    metric: 'heart_rate',
    value: 150,
    threshold: 120,
  });
  expect(cleared).toEqual({
    id: raised!.id,
    patientId: device.patientId,
    wardId: device.wardId,
    clearedAt: series[6]!.recordedAt,
  });
  await waitUntil('the provider to get both alerts', () => provider.received.length === 2);
  client.close();
});

test('a rule update applies to the next reading (no stale cached rule)', async () => {
  const device = registry.devices[1]!;
  const created = (await (
    await post('/alert-rules', { patientId: device.patientId, metric: 'spo2', min: 80 })
  ).json()) as {
    id: string;
  };
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  client.sendReadings([{ ...readings(1, 0)[0]!, spo2: 85 }]);
  await client.untilAcked(0);
  const patch = await fetch(`${app.url}/alert-rules/${created.id}`, {
    method: 'PATCH',
    headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ min: 90 }),
  });
  expect(patch.status).toBe(200);
  client.sendReadings([{ ...readings(1, 1)[0]!, spo2: 85 }]);
  await client.untilAcked(1);
  await waitUntil('the alert under the new threshold', async () => {
    const { rows } = await ctx.pool.query<{ threshold: string }>(
      'SELECT threshold FROM alerts WHERE rule_id = $1',
      [created.id],
    );
    return rows.length === 1 && Number(rows[0]!.threshold) === 90;
  });
  client.close();
});

test('disabling a rule clears its open alerts at once (in the database and on the alerts stream); re-enabled, only a new breach raises a new alert', async () => {
  const ward = await seedRegistry(ctx.pool, { wards: 1, patients: 1 });
  const wardAdmin = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'ward_admin', hospitalId: ward.hospitalId, wardIds: ward.wardIds },
  );
  const device = ward.devices[0]!;
  const send = (method: 'POST' | 'PATCH', path: string, body: unknown): Promise<Response> =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { ...wardAdmin.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const created = await send('POST', '/alert-rules', {
    wardId: device.wardId,
    metric: 'heart_rate',
    max: 120,
  });
  const { id: ruleId } = (await created.json()) as { id: string };
  const setEnabled = async (enabled: boolean) =>
    (await send('PATCH', `/alert-rules/${ruleId}`, { enabled })).status;
  const openAlerts = async () =>
    (
      await ctx.pool.query<{ id: string; value: string }>(
        'SELECT id, value FROM alerts WHERE rule_id = $1 AND cleared_at IS NULL',
        [ruleId],
      )
    ).rows;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  try {
    client.sendReadings([{ ...readings(1, 0)[0]!, heartRate: 150 }]);
    await waitUntil('the breach to raise an alert', async () => (await openAlerts()).length === 1);
    const [first] = await openAlerts();

    expect(await setEnabled(false)).toBe(200);
    // Cleared by the time the PATCH answers, and announced to the ward pages like a recovery.
    expect(await openAlerts()).toEqual([]);
    const entries = (await ctx.redis.xrange(`${ctx.prefix}:vitals:alerts`, '-', '+')) as [string, string[]][];
    const clearings = entries
      .filter(([, fields]) => fields[0] === 'cleared')
      .map(([, fields]) => JSON.parse(fields[1]!) as { id: string; patientId: string; wardId: string });
    expect(clearings.filter((cleared) => cleared.id === first!.id)).toEqual([
      expect.objectContaining({ id: first!.id, patientId: device.patientId, wardId: device.wardId }),
    ]);

    // A breach while the rule is off raises nothing; once it is back on, the next breach raises a new alert
    // (the old one stays cleared). The evaluator takes readings in order, so the alert of reading 2 means
    // reading 1 has been judged too.
    client.sendReadings([{ ...readings(1, 1)[0]!, heartRate: 155 }]);
    await client.untilAcked(1);
    expect(await setEnabled(true)).toBe(200);
    client.sendReadings([{ ...readings(1, 2)[0]!, heartRate: 160 }]);
    await waitUntil('the new breach to raise an alert', async () => (await openAlerts()).length === 1);
    const [second] = await openAlerts();
    expect(second!.id).not.toBe(first!.id);
    expect(Number(second!.value)).toBe(160);
  } finally {
    client.close();
  }
});

test('an evaluation that read the rule before it was disabled raises nothing once the rule is off', async () => {
  const ward = await seedRegistry(ctx.pool, { wards: 1, patients: 1 });
  const device = ward.devices[0]!;
  const { rows } = await ctx.pool.query<{ id: string }>(
    `INSERT INTO alert_rules (ward_id, metric, max, enabled) VALUES ($1, 'heart_rate', 120, false) RETURNING id`,
    [device.wardId],
  );
  const store = app.app.get(AlertStore);
  const raised = await store.raise({
    ruleId: rows[0]!.id,
    patientId: device.patientId,
    wardId: device.wardId,
    metric: 'heart_rate',
    value: 150,
    threshold: 120,
    raisedAt: new Date().toISOString(),
  });
  expect(raised).toBeUndefined();
  expect((await ctx.pool.query('SELECT 1 FROM alerts WHERE rule_id = $1', [rows[0]!.id])).rowCount).toBe(0);
});

/** A new ward with one device and a ward admin of it, and a heart-rate rule (max 120) on that ward. */
async function wardWithRule(): Promise<{
  ward: SeededRegistry;
  ruleId: string;
  deleteRule(): Promise<Response>;
}> {
  const ward = await seedRegistry(ctx.pool, { wards: 1, patients: 1 });
  const wardAdmin = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'ward_admin', hospitalId: ward.hospitalId, wardIds: ward.wardIds },
  );
  const created = await fetch(`${app.url}/alert-rules`, {
    method: 'POST',
    headers: { ...wardAdmin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ wardId: ward.wardIds[0], metric: 'heart_rate', max: 120 }),
  });
  const { id: ruleId } = (await created.json()) as { id: string };
  return {
    ward,
    ruleId,
    deleteRule: () => fetch(`${app.url}/alert-rules/${ruleId}`, { method: 'DELETE', headers: wardAdmin.headers }),
  };
}

async function clearingsOnTheAlertsStream(): Promise<Array<{ id: string; patientId: string; wardId: string }>> {
  const entries = (await ctx.redis.xrange(`${ctx.prefix}:vitals:alerts`, '-', '+')) as [string, string[]][];
  return entries
    .filter(([, fields]) => fields[0] === 'cleared')
    .map(([, fields]) => JSON.parse(fields[1]!) as { id: string; patientId: string; wardId: string });
}

test('deleting a rule while its alert is raised takes the alert off the open ward page', async () => {
  const { ward, deleteRule } = await wardWithRule();
  const device = ward.devices[0]!;
  const page = await LiveDashboardClient.open(
    app.wsUrl,
    await LiveDashboardClient.issueToken(app.url, ctx.pool, ward.wardIds),
    [{ wardId: device.wardId }],
  );
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  try {
    client.sendReadings([{ ...readings(1, 0)[0]!, heartRate: 150 }]);
    await page.until(() => page.ofType('alert').length === 1);
    const [raised] = page.ofType('alert');

    expect((await deleteRule()).status).toBe(204);
    await page.until(() => page.ofType('alert_cleared').length === 1);
    expect(page.ofType('alert_cleared')[0]).toMatchObject({
      id: raised!['id'],
      patientId: device.patientId,
      wardId: device.wardId,
    });
  } finally {
    client.close();
    await page.close();
  }
});

test('a rule deleted while an evaluation is raising its alert: the raise is announced as cleared too', async () => {
  const { ward, ruleId, deleteRule } = await wardWithRule();
  const device = ward.devices[0]!;
  // An evaluation in flight, held open: it has taken the rule FOR SHARE and stored its alert (as AlertStore.raise
  // does in one statement) but not committed yet.
  const evaluation = await ctx.pool.connect();
  let deleted: Promise<Response> | undefined;
  try {
    await evaluation.query('BEGIN');
    await evaluation.query('SELECT 1 FROM alert_rules WHERE id = $1 FOR SHARE', [ruleId]);
    const { rows } = await evaluation.query<{ id: string }>(
      `INSERT INTO alerts (rule_id, patient_id, ward_id, metric, value, threshold, raised_at)
       VALUES ($1, $2, $3, 'heart_rate', 150, 120, now()) RETURNING id`,
      [ruleId, device.patientId, device.wardId],
    );
    const raisedId = rows[0]!.id;

    deleted = deleteRule();
    await waitUntil('the deletion to wait for the evaluation’s lock on the rule', async () => {
      const waiting = await ctx.pool.query(
        `SELECT 1 FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%alert_rules%'`,
      );
      return (waiting.rowCount ?? 0) > 0;
    });
    await evaluation.query('COMMIT');
    expect((await deleted).status).toBe(204);

    expect((await ctx.pool.query('SELECT 1 FROM alerts WHERE id = $1', [raisedId])).rowCount).toBe(0);
    expect((await clearingsOnTheAlertsStream()).filter((cleared) => cleared.id === raisedId)).toEqual([
      expect.objectContaining({ id: raisedId, patientId: device.patientId, wardId: device.wardId }),
    ]);
  } finally {
    await evaluation.query('ROLLBACK').catch(() => undefined);
    evaluation.release();
    await deleted?.catch(() => undefined);
  }
});
