import { queryEvents } from '@remedy/pooling';
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
  // The default pool: 5 connections by the capacity formula.
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  registry = await seedRegistry(ctx.pool, { wards: 1, patients: DEVICES });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

/** Most statements in flight at one instant, from each statement's start and end. */
function mostAtOnce(spans: Array<{ start: number; end: number }>): number {
  const edges = spans.flatMap(({ start, end }) => [
    { at: start, step: 1 },
    { at: end, step: -1 },
  ]);
  // An end before a start at the same instant: back-to-back statements on one connection do not overlap.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (open += edge.step));
  return most;
}

test('200 devices authenticating at once on a cold cache all get auth_ok, the lookups holding one connection at a time', async () => {
  // What the storm costs the pool is judged from the service's own statements, not from a short pool timeout
  // (which would race the machine's speed): one device lookup per authentication, as the review's design
  // does, keeps all 5 connections busy; the directory's batched lookups run one statement at a time.
  const lookups: Array<{ start: number; end: number }> = [];
  const unsubscribe = queryEvents.subscribe((event) => {
    if (!/FROM devices d\b/.test(event.sql) || !/token_hash/.test(event.sql)) return;
    const end = performance.now();
    lookups.push({ start: end - event.durationMs, end });
  });
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
  unsubscribe();
  process.stdout.write(
    `auth storm: ${outcome('auth_ok')} auth_ok, ${internal} internal of ${DEVICES}; ` +
      `${lookups.length} lookup statements, at most ${mostAtOnce(lookups)} at once\n`,
  );
  expect({ authOk: outcome('auth_ok'), internal }).toEqual({ authOk: DEVICES, internal: 0 });
  expect(lookups.length).toBeGreaterThan(0);
  expect(mostAtOnce(lookups)).toBe(1);
  for (const client of clients) client.close();
}, 60_000);
