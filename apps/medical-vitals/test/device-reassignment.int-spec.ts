import { useTestContext, waitUntil } from '@remedy/testing';
import { LiveDashboardClient } from '../findings/live-support/live-dashboard-client.js';
import { spawnLiveInstance, type LiveInstance } from '../findings/live-support/spawn-live-instance.js';
import { DeviceClient, readings, type ServerReply } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { signInStaff, type StaffSession } from '../findings/support/staff-session.js';

/**
 * An open device socket follows the registry: the device is changed through instance B's REST API while
 * its socket is open on instance A (separate processes sharing only PostgreSQL and Redis), and its next
 * readings are attributed by the assignment in force, not by the one it authenticated with.
 */
const ctx = useTestContext(medicalVitalsHarness);

let registry: SeededRegistry;
let a: LiveInstance;
let b: LiveInstance;
let technician: StaffSession;
let wardAdmin: StaffSession;
/** Ward 0 has no rule a heart rate of 150 breaches; ward 1 alerts above 120. */
let wardOneRuleId: string;

beforeAll(async () => {
  // Four patients over two wards, one device each: [0] and [2] in ward 0, [1] and [3] in ward 1.
  registry = await seedRegistry(ctx.pool, { wards: 2, patients: 4 });
  const { rows } = await ctx.pool.query<{ id: string }>(
    "INSERT INTO alert_rules (ward_id, metric, max) VALUES ($1, 'heart_rate', 120) RETURNING id",
    [registry.wardIds[1]],
  );
  wardOneRuleId = rows[0]!.id;
  const job = {
    databaseUrl: ctx.databaseUrl,
    redisUrl: ctx.redisUrl,
    prefix: ctx.prefix,
    // Dashboard tokens issued by one instance are verified by it; the secret is shared as in production.
    overrides: { DASHBOARD_TOKEN_SECRET: 'device-reassignment-dashboard-secret', DEVICE_RATE_BURST: '100' },
    hub: 'real' as const,
  };
  [a, b] = await Promise.all([spawnLiveInstance(job), spawnLiveInstance(job)]);
  const target = { url: b.url, pool: ctx.pool };
  technician = await signInStaff(target, { role: 'device_technician', hospitalId: registry.hospitalId });
  wardAdmin = await signInStaff(target, {
    role: 'ward_admin',
    hospitalId: registry.hospitalId,
    wardIds: registry.wardIds,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

async function patchOnB(session: StaffSession, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${b.url}${path}`, {
    method: 'PATCH',
    headers: { ...session.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200)
    throw new Error(`PATCH ${path}: HTTP ${response.status} ${await response.text()}`);
}

async function storedSeqs(deviceId: string): Promise<Array<{ seq: number; patientId: string }>> {
  const { rows } = await ctx.pool.query<{ seq: number; patient_id: string }>(
    'SELECT seq::int, patient_id FROM vital_data WHERE device_id = $1 ORDER BY seq',
    [deviceId],
  );
  return rows.map((row) => ({ seq: row.seq, patientId: row.patient_id }));
}

async function dashboard(wardId: string): Promise<LiveDashboardClient> {
  return LiveDashboardClient.open(a.wsUrl, await LiveDashboardClient.issueToken(a.url, ctx.pool, [wardId]), [
    { wardId },
  ]);
}

function untilClosed(client: DeviceClient): Promise<void> {
  return client.until(() => client.closeCode !== undefined);
}

function typesOf(replies: ServerReply[]): string[] {
  return replies.map((reply) => (reply.type === 'error' ? `error:${String(reply['code'])}` : reply.type));
}

test('reassigned to another patient: the next readings are stored under the new patient, pushed to its ward and judged by its rules', async () => {
  const device = registry.devices[0]!;
  const newPatientId = registry.patientIds[1]!;
  const [oldWardId, newWardId] = registry.wardIds as [string, string];
  const [oldWard, newWard] = await Promise.all([dashboard(oldWardId), dashboard(newWardId)]);
  try {
    const client = await DeviceClient.open(a.wsUrl, device.id, device.token);
    const series = readings(4).map((reading, index) => ({ ...reading, heartRate: index === 0 ? 80 : 150 }));
    client.sendReadings(series.slice(0, 1));
    await client.untilAcked(0);

    await patchOnB(technician, `/devices/${device.id}`, { patientId: newPatientId });
    await client.until(() => client.replies.some((reply) => reply.type === 'assignment'));
    expect(client.replies.find((reply) => reply.type === 'assignment')).toEqual({
      type: 'assignment',
      deviceId: device.id,
      patientId: newPatientId,
    });

    client.sendReadings(series.slice(1));
    await client.untilAcked(3);
    expect(await storedSeqs(device.id)).toEqual([
      { seq: 0, patientId: device.patientId },
      { seq: 1, patientId: newPatientId },
      { seq: 2, patientId: newPatientId },
      { seq: 3, patientId: newPatientId },
    ]);

    const pushedOf = (live: LiveDashboardClient): Array<{ seq: unknown; patientId: unknown }> =>
      live
        .ofType('reading')
        .filter((message) => message['deviceId'] === device.id)
        .map((message) => ({ seq: message['seq'], patientId: message['patientId'] }));
    await newWard.until(() => pushedOf(newWard).length === 3);
    expect(pushedOf(newWard)).toEqual([1, 2, 3].map((seq) => ({ seq, patientId: newPatientId })));

    // The new ward's rule judged the breach, and its dashboard was told.
    await newWard.until(() => newWard.ofType('alert').some((alert) => alert['patientId'] === newPatientId));
    const { rows } = await ctx.pool.query<{ patient_id: string; ward_id: string }>(
      'SELECT patient_id, ward_id FROM alerts WHERE rule_id = $1',
      [wardOneRuleId],
    );
    expect(rows).toEqual([{ patient_id: newPatientId, ward_id: newWardId }]);

    // The old ward saw only the reading from before the change: a later reading of one of its own devices
    // (acked after the moved readings, so pushed after them) marks where its stream has got to.
    const sentinel = registry.devices[2]!;
    const other = await DeviceClient.open(a.wsUrl, sentinel.id, sentinel.token);
    other.sendReadings(readings(1));
    await other.untilAcked(0);
    await oldWard.until(() =>
      oldWard.ofType('reading').some((message) => message['deviceId'] === sentinel.id),
    );
    expect(pushedOf(oldWard)).toEqual([{ seq: 0, patientId: device.patientId }]);
    other.close();
    client.close();
  } finally {
    await Promise.all([oldWard.close(), newWard.close()]);
  }
});

test('retired: the socket is closed (4401) and nothing more is stored', async () => {
  const device = registry.devices[1]!;
  const client = await DeviceClient.open(a.wsUrl, device.id, device.token);
  client.sendReadings(readings(1));
  await client.untilAcked(0);

  await patchOnB(technician, `/devices/${device.id}`, { status: 'retired' });
  await untilClosed(client);
  expect(client.closeCode).toBe(4401);
  expect(typesOf(client.replies)).toEqual(['auth_ok', 'ack', 'error:unauthorized']);
  expect(await storedSeqs(device.id)).toEqual([{ seq: 0, patientId: device.patientId }]);
  // Its token opens no new socket either.
  await expect(DeviceClient.open(a.wsUrl, device.id, device.token)).rejects.toThrow(/unauthorized/);
});

test('patient discharged: what was received is acked, then the socket is closed (4401 device_unassigned)', async () => {
  const device = registry.devices[3]!;
  const client = await DeviceClient.open(a.wsUrl, device.id, device.token);
  client.sendReadings(readings(1));
  await client.untilAcked(0);

  // Sent without waiting: whether it reaches A before or after the discharge, it is stored and acked, or neither.
  client.sendReadings(readings(1, 1));
  await patchOnB(wardAdmin, `/patients/${device.patientId}`, { status: 'discharged' });
  await untilClosed(client);
  expect(client.closeCode).toBe(4401);
  const types = typesOf(client.replies);
  expect(types.at(-1)).toBe('error:device_unassigned');
  expect(types.slice(0, 2)).toEqual(['auth_ok', 'ack']);
  const stored = await storedSeqs(device.id);
  expect(stored.map((row) => row.seq)).toEqual(client.acked === 1 ? [0, 1] : [0]);
  expect(stored.every((row) => row.patientId === device.patientId)).toBe(true);
});

test('patient moved to another ward: the next readings go to the new ward, under the same patient', async () => {
  const device = registry.devices[2]!;
  const newWardId = registry.wardIds[1]!;
  const newWard = await dashboard(newWardId);
  try {
    const client = await DeviceClient.open(a.wsUrl, device.id, device.token);
    await patchOnB(wardAdmin, `/patients/${device.patientId}`, { wardId: newWardId });
    await client.until(() => client.replies.some((reply) => reply.type === 'assignment'));
    expect(client.replies.find((reply) => reply.type === 'assignment')).toMatchObject({
      patientId: device.patientId,
    });

    const seq = 100;
    client.sendReadings(readings(1, seq).map((reading) => ({ ...reading, heartRate: 150 })));
    await client.untilAcked(seq);
    await newWard.until(() =>
      newWard
        .ofType('reading')
        .some((message) => message['deviceId'] === device.id && message['seq'] === seq),
    );
    await waitUntil('the new ward rule to alert on the moved patient', async () => {
      const { rows } = await ctx.pool.query(
        'SELECT 1 FROM alerts WHERE rule_id = $1 AND patient_id = $2 AND ward_id = $3',
        [wardOneRuleId, device.patientId, newWardId],
      );
      return rows.length === 1;
    });
    client.close();
  } finally {
    await newWard.close();
  }
});
