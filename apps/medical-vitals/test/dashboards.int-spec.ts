import { useTestContext } from '@remedy/testing';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let registry: SeededRegistry;
let nurse: StaffSession;

beforeAll(async () => {
  app = await startTestApp(ctx);
  registry = await seedRegistry(ctx.pool, { wards: 2, patients: 6 });
  nurse = await signInStaff(
    { url: app.url, pool: ctx.pool },
    { role: 'nurse', hospitalId: registry.hospitalId, wardIds: registry.wardIds },
  );
});
afterAll(async () => {
  await app?.close();
});

const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${app.url}${path}`, { headers: nurse.headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('dashboard REST', () => {
  test('GET /wards/:id/patients walks the ward with a keyset cursor', async () => {
    const wardId = registry.wardIds[0]!;
    const first = await get(`/wards/${wardId}/patients?limit=2`);
    expect(first.status).toBe(200);
    const pagination = first.body['pagination'] as { nextCursor: string; hasMore: boolean };
    expect(pagination.hasMore).toBe(true);
    const second = await get(`/wards/${wardId}/patients?limit=2&cursor=${pagination.nextCursor}`);
    const ids = [
      ...(first.body['data'] as Array<{ id: string }>),
      ...(second.body['data'] as Array<{ id: string }>),
    ].map((p) => p.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids.sort()).toEqual(
      registry.devices
        .filter((d) => d.wardId === wardId)
        .map((d) => d.patientId)
        .sort(),
    );
  });

  test("a ward's patient cursor is refused for another ward and on the active-patients list", async () => {
    const [wardA, wardB] = registry.wardIds as [string, string];
    const first = await get(`/wards/${wardA}/patients?limit=1`);
    const { nextCursor } = first.body['pagination'] as { nextCursor: string };
    expect((await get(`/wards/${wardA}/patients?limit=1&cursor=${nextCursor}`)).status).toBe(200);

    const otherWard = await get(`/wards/${wardB}/patients?cursor=${nextCursor}`);
    expect(otherWard).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message:
          'cursor: was issued for other filters; send the filters of the page it came from, or restart from the first page',
        details: [
          {
            field: 'cursor',
            message:
              'was issued for other filters; send the filters of the page it came from, or restart from the first page',
          },
        ],
      },
    });
    // Both lists sort patients by id, so the cursor's keys alone would be accepted here.
    const otherList = await get(`/dashboard/active-patients?wardId=${wardA}&cursor=${nextCursor}`);
    expect(otherList.status).toBe(400);
    expect(otherList.body['details']).toEqual([
      { field: 'cursor', message: 'was issued for another list; restart from the first page of this one' },
    ]);
  });

  test('stored readings show in latest, vitals range and active patients', async () => {
    const device = registry.devices[0]!;
    const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
    const sent = readings(5);
    client.sendReadings(sent);
    await client.untilAcked(4);
    client.close();

    const latest = await get(`/patients/${device.patientId}/latest`);
    expect(latest.status).toBe(200);
    expect((latest.body['latest'] as { seq: number }).seq).toBe(4);

    const vitals = await get(
      `/patients/${device.patientId}/vitals?limit=3&from=${encodeURIComponent(sent[0]!.recordedAt)}`,
    );
    expect(vitals.status).toBe(200);
    expect((vitals.body['data'] as Array<{ seq: number }>).map((r) => r.seq)).toEqual([4, 3, 2]);
    const more = vitals.body['pagination'] as { nextCursor: string };
    const rest = await get(
      `/patients/${device.patientId}/vitals?limit=3&from=${encodeURIComponent(sent[0]!.recordedAt)}&cursor=${more.nextCursor}`,
    );
    expect((rest.body['data'] as Array<{ seq: number }>).map((r) => r.seq)).toEqual([1, 0]);

    const active = await get(`/dashboard/active-patients?wardId=${device.wardId}`);
    expect(active.status).toBe(200);
    const row = (
      active.body['data'] as Array<{ id: string; latest: { seq: number } | null; openAlerts: number }>
    ).find((p) => p.id === device.patientId);
    expect(row).toMatchObject({ latest: { seq: 4 }, openAlerts: 0 });
  });

  test("GET /wards/:id/open-alerts lists the open alerts of the ward's active patients, newest first", async () => {
    const [wardA, wardB] = registry.wardIds as [string, string];
    const inWard = (wardId: string) =>
      registry.devices.filter((device) => device.wardId === wardId).map((device) => device.patientId);
    const [first, second, discharged] = inWard(wardA) as [string, string, string];
    const other = inWard(wardB)[0]!;
    const {
      rows: [rule],
    } = await ctx.pool.query<{ id: string }>(
      `INSERT INTO alert_rules (ward_id, metric, max, enabled, version, updated_at)
       VALUES ($1, 'heart_rate', 140, true, 1, now()) RETURNING id`,
      [wardA],
    );
    const raise = async (patientId: string, wardId: string, at: string, clearedAt: string | null) => {
      const { rows } = await ctx.pool.query<{ id: string }>(
        `INSERT INTO alerts (rule_id, patient_id, ward_id, metric, value, threshold, raised_at, cleared_at)
         VALUES ($1, $2, $3, 'heart_rate', 171, 140, $4, $5) RETURNING id`,
        [rule!.id, patientId, wardId, at, clearedAt],
      );
      return rows[0]!.id;
    };
    const older = await raise(first, wardA, '2026-01-01T10:00:00Z', null);
    await raise(first, wardA, '2026-01-01T09:00:00Z', '2026-01-01T09:05:00Z');
    const newer = await raise(second, wardA, '2026-01-01T11:00:00Z', null);
    await raise(discharged, wardA, '2026-01-01T12:00:00Z', null);
    await ctx.pool.query("UPDATE patients SET status = 'discharged' WHERE id = $1", [discharged]);
    await raise(other, wardB, '2026-01-01T12:00:00Z', null);

    const open = await get(`/wards/${wardA}/open-alerts`);
    expect(open.status).toBe(200);
    expect(open.body).toEqual([
      {
        id: newer,
        patientId: second,
        wardId: wardA,
        metric: 'heart_rate',
        value: 171,
        threshold: 140,
        raisedAt: '2026-01-01T11:00:00.000Z',
      },
      expect.objectContaining({ id: older, patientId: first, raisedAt: '2026-01-01T10:00:00.000Z' }),
    ]);
    expect((await get('/wards/not-a-uuid/open-alerts')).status).toBe(400);
  });

  test('bad queries are 400s with field details; unknown patients are 403s like out-of-scope ones', async () => {
    const bad = await get('/dashboard/active-patients?wardId=nope&limit=9999');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect((bad.body['details'] as Array<{ field: string }>).map((d) => d.field).sort()).toEqual([
      'limit',
      'wardId',
    ]);

    const range = await get(
      `/patients/${registry.patientIds[0]}/vitals?from=2026-01-10T00:00:00Z&to=2026-01-01T00:00:00Z`,
    );
    expect(range.status).toBe(400);
    expect(range.body['details']).toEqual([{ field: 'from', problems: ['must be before to'] }]);

    const cursor = await get(`/patients/${registry.patientIds[0]}/vitals?cursor=garbage`);
    expect(cursor.status).toBe(400);

    const missing = await get('/patients/00000000-0000-4000-8000-000000000000/latest');
    expect(missing.status).toBe(403);
  });
});

describe('reports', () => {
  test('GET /patients/:id/report streams the period as CSV with a summary', async () => {
    const patientId = registry.patientIds[1]!;
    await ctx.pool.query(
      `INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate, spo2, systolic, diastolic, temperature)
       SELECT $1, $2, now() - make_interval(secs => g), g, 60 + g % 20, 97, 120, 80, 36.6 FROM generate_series(1, 2500) g`,
      [patientId, registry.devices[1]!.id],
    );
    const response = await fetch(`${app.url}/patients/${patientId}/report?period=daily`, {
      headers: nurse.headers,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe('recorded_at,device_id,seq,heart_rate,spo2,systolic,diastolic,temperature');
    expect(lines.filter((line) => !line.startsWith('#')).length).toBe(2501);
    expect(lines).toContain('# rows,2500');
    expect(lines).toContain('# heart_rate,min 60,mean 69.5,max 79');
  });

  test('a bad period is a 400, an unknown patient a 403', async () => {
    expect((await get(`/patients/${registry.patientIds[0]}/report?period=monthly`)).status).toBe(400);
    expect((await get('/patients/00000000-0000-4000-8000-000000000000/report')).status).toBe(403);
  });
});

describe('operations', () => {
  test('the OpenAPI document lists the read endpoints and /metrics has the /live gauges', async () => {
    const docs = (await (await fetch(`${app.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/wards/{id}/patients',
        '/dashboard/active-patients',
        '/wards/{id}/open-alerts',
        '/patients/{id}/latest',
        '/patients/{id}/vitals',
        '/patients/{id}/report',
        '/dashboard/tokens',
      ]),
    );
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    for (const name of ['live_sockets', 'live_messages_coalesced', 'live_send_held_bytes'])
      expect(metrics).toContain(name);
  });
});

describe('ward page', () => {
  test('GET /ward/:wardId serves the page and its script', async () => {
    const page = await fetch(`${app.url}/ward/${registry.wardIds[0]}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="/ward-page.js">');
    const script = await fetch(`${app.url}/ward-page.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
  });
});
