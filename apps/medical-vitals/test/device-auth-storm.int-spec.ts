import { useTestContext } from '@remedy/testing';
import { DeviceClient, type ServerReply } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(medicalVitalsHarness);
const DEVICES = 200;
let app: TestApp;
let registry: SeededRegistry;

beforeAll(async () => {
  // The default pool (5 connections by the capacity formula) and a short wait for a free connection: a
  // cold-start storm that needs more than a connection per few devices shows as refused auths at once.
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false', DB_CONNECTION_TIMEOUT_MS: '100' });
  registry = await seedRegistry(ctx.pool, { wards: 1, patients: DEVICES });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

test('200 devices authenticating at once on a cold cache all get auth_ok from a 5-connection pool', async () => {
  const clients = await Promise.all(registry.devices.map(() => DeviceClient.connect(`${app.wsUrl}/ingest`)));
  clients.forEach((client, index) => {
    const device = registry.devices[index]!;
    client.send({ type: 'auth', deviceId: device.id, token: device.token });
  });
  await Promise.all(
    clients.map((client) => client.until(() => client.replies.length > 0 || client.closeCode !== undefined)),
  );
  const firstReplies = clients.map((client) => client.replies[0] as ServerReply);
  const outcome = (type: string) => firstReplies.filter((reply) => reply.type === type).length;
  const internal = firstReplies.filter((reply) => reply['code'] === 'internal').length;
  process.stdout.write(`auth storm: ${outcome('auth_ok')} auth_ok, ${internal} internal of ${DEVICES}\n`);
  expect({ authOk: outcome('auth_ok'), internal }).toEqual({ authOk: DEVICES, internal: 0 });
  for (const client of clients) client.close();
}, 60_000);
