import { useTestContext } from '@remedy/testing';
import { randomUUID } from 'node:crypto';
import { DeviceClient } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let admin: StaffSession;
const hospitalId = randomUUID();

beforeAll(async () => {
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  admin = await signInStaff({ url: app.url, pool: ctx.pool }, { role: 'hospital_admin', hospitalId });
});
afterAll(async () => {
  await app?.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...admin.headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('registers a ward, a patient and a device whose token is shown once and stored only as a hash', async () => {
  const ward = await call('POST', '/wards', { hospitalId, name: 'ICU' });
  expect(ward.status).toBe(201);
  const patient = await call('POST', '/patients', {
    hospitalId,
    wardId: ward.body['id'],
    name: 'A. Patient',
    mrn: `MRN-${randomUUID()}`,
  });
  expect(patient.status).toBe(201);
  const device = await call('POST', '/devices', {
    serial: `SN-${randomUUID()}`,
    patientId: patient.body['id'],
  });
  expect(device.status).toBe(201);
  const token = device.body['token'] as string;
  expect(token.length).toBeGreaterThan(30);

  const { rows } = await ctx.pool.query<{ token_hash: string }>(
    'SELECT token_hash FROM devices WHERE id = $1',
    [device.body['id']],
  );
  expect(rows[0]!.token_hash).not.toContain(token);
  const fetched = await call('GET', `/devices/${device.body['id'] as string}`);
  expect(fetched.body).not.toHaveProperty('token');
  expect(fetched.body).not.toHaveProperty('tokenHash');

  const client = await DeviceClient.open(app.wsUrl, device.body['id'] as string, token);
  expect(client.replies[0]).toMatchObject({ type: 'auth_ok', patientId: patient.body['id'] });
  client.close();
});

test('a retired device can no longer connect, on the next connection', async () => {
  const patient = await call('POST', '/patients', {
    hospitalId,
    name: 'B. Patient',
    mrn: `MRN-${randomUUID()}`,
  });
  const device = await call('POST', '/devices', {
    serial: `SN-${randomUUID()}`,
    patientId: patient.body['id'],
  });
  const id = device.body['id'] as string;
  const token = device.body['token'] as string;
  (await DeviceClient.open(app.wsUrl, id, token)).close();
  expect((await call('PATCH', `/devices/${id}`, { status: 'retired' })).status).toBe(200);
  await expect(DeviceClient.open(app.wsUrl, id, token)).rejects.toThrow(/unauthorized/);
});

test('answers bad input with a 4xx and field details, never a 500', async () => {
  // An unknown patient answers like another hospital's: 403, so ids cannot be probed for existence.
  const missing = await call('GET', `/patients/${randomUUID()}`);
  expect(missing).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden' } });
  const badId = await call('GET', '/wards/not-a-uuid');
  expect(badId.status).toBe(400);
  const unknownField = await call('POST', '/wards', { hospitalId: randomUUID(), name: 'x', floor: 3 });
  expect(unknownField.status).toBe(400);
  expect(unknownField.body['details']).toEqual([{ field: 'floor', problems: ['should not exist'] }]);
  const mrn = `MRN-${randomUUID()}`;
  await call('POST', '/patients', { hospitalId, name: 'C', mrn });
  const duplicate = await call('POST', '/patients', { hospitalId, name: 'D', mrn });
  expect(duplicate).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict' } });
  // A ward that does not exist is, like another hospital's, outside the admin's scope.
  const badWard = await call('POST', '/patients', {
    hospitalId,
    wardId: randomUUID(),
    name: 'E',
    mrn: `MRN-${randomUUID()}`,
  });
  expect(badWard.status).toBe(403);
});
