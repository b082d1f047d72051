import WebSocket from 'ws';
import { CLOSE_CODES, CLOSE_REASONS } from '@remedy/realtime';
import { useTestContext } from '@remedy/testing';
import { LiveDashboardClient } from '../findings/live-support/live-dashboard-client.js';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let registry: SeededRegistry;
const clients: LiveDashboardClient[] = [];

beforeAll(async () => {
  app = await startTestApp(ctx);
  registry = await seedRegistry(ctx.pool, { wards: 2, patients: 4 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await app?.close();
});

async function open(
  token: string,
  subscriptions: Array<{ wardId: string } | { patientId: string }>,
): Promise<LiveDashboardClient> {
  const client = await LiveDashboardClient.open(app.wsUrl, token, subscriptions);
  clients.push(client);
  return client;
}

test('a stored reading is pushed to the ward room and the patient room, not to other wards', async () => {
  const token = await LiveDashboardClient.issueToken(app.url, ctx.pool, registry.wardIds);
  const device = registry.devices[0]!;
  const otherWard = registry.wardIds.find((id) => id !== device.wardId)!;
  const ward = await open(token, [{ wardId: device.wardId }]);
  const patient = await open(token, [{ patientId: device.patientId }]);
  const other = await open(token, [{ wardId: otherWard }]);

  const deviceClient = await DeviceClient.open(app.wsUrl, device.id, device.token);
  deviceClient.sendReadings(readings(1, 7));
  await deviceClient.untilAcked(7);
  deviceClient.close();

  await ward.until(() => ward.ofType('reading').length === 1);
  await patient.until(() => patient.ofType('reading').length === 1);
  expect(ward.ofType('reading')[0]).toMatchObject({
    patientId: device.patientId,
    wardId: device.wardId,
    seq: 7,
  });
  expect(other.ofType('reading')).toEqual([]);
});

test('a committed batch is pushed by the instance that stored it, not read back from vitals:stored first', async () => {
  const token = await LiveDashboardClient.issueToken(app.url, ctx.pool, registry.wardIds);
  const device = registry.devices[1]!;
  const ward = await open(token, [{ wardId: device.wardId }]);
  const deviceClient = await DeviceClient.open(app.wsUrl, device.id, device.token);
  deviceClient.sendReadings(readings(1, 3));
  await deviceClient.untilAcked(3);
  deviceClient.close();
  await ward.until(() => ward.ofType('reading').length === 1);

  // The stored stream is the alert evaluator's alone: a dashboards group on it would mean every batch goes
  // back to Redis and through a serial read-publish-ack loop before any page sees it (ADR 0030's amendment).
  const groupsOf = async (stream: string): Promise<string[]> => {
    const groups = (await ctx.redis.xinfo('GROUPS', `${ctx.prefix}:vitals:${stream}`)) as unknown[][];
    return groups.map((fields) => String(fields[fields.indexOf('name') + 1])).sort();
  };
  expect(await groupsOf('stored')).toEqual(['alerts']);
  expect(await groupsOf('alerts')).toEqual(['dashboards']);
});

test('first-message auth: a forged token and a token in the URL are refused with 1008', async () => {
  const forged = await LiveDashboardClient.connect(app.wsUrl);
  clients.push(forged);
  forged.send({ type: 'auth', token: 'v1.e30.forged' });
  await forged.until(() => forged.closed !== undefined);
  expect(forged.closed).toEqual({ code: CLOSE_CODES.policyViolation, reason: CLOSE_REASONS.authFailed });

  const token = await LiveDashboardClient.issueToken(app.url, ctx.pool, registry.wardIds);
  const viaQuery = new WebSocket(`${app.wsUrl}/live?token=${token}`);
  const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
    viaQuery.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  expect(closed).toEqual({ code: CLOSE_CODES.policyViolation, reason: CLOSE_REASONS.tokenInUrl });
});

test('a socket that never authenticates is closed with 1008 once AUTH_TIMEOUT_MS has passed', async () => {
  // An instance of its own with a short deadline, and this socket its only one: a deadline shared with the
  // suite's sockets would race each one's sign-in on a loaded machine.
  const quick = await startTestApp(ctx, { AUTH_TIMEOUT_MS: '300' });
  try {
    const silent = await LiveDashboardClient.connect(quick.wsUrl);
    clients.push(silent);
    await silent.until(() => silent.closed !== undefined);
    expect(silent.closed).toEqual({ code: CLOSE_CODES.policyViolation, reason: CLOSE_REASONS.authTimeout });
  } finally {
    await quick.close();
  }
});

test('bad commands get field-level errors; a ward-scoped token cannot watch another ward', async () => {
  const [wardA, wardB] = registry.wardIds as [string, string];
  const token = await LiveDashboardClient.issueToken(app.url, ctx.pool, [wardA]);
  const client = await open(token, [{ wardId: wardA }]);
  client.send({ type: 'subscribe', wardId: 'not-a-uuid' });
  client.send({ type: 'subscribe', wardId: wardB });
  client.send('{oops');
  await client.until(() => client.ofType('error').length === 3);
  expect(client.ofType('error').map(({ code, details }) => ({ code, details }))).toEqual([
    { code: 'invalid-message', details: [{ field: 'wardId', problems: ['must be a UUID'] }] },
    { code: 'forbidden', details: [{ field: 'wardId', problems: ['not in the token'] }] },
    { code: 'bad-json', details: undefined },
  ]);
});
