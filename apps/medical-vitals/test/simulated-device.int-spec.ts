import { useTestContext, waitUntil } from '@remedy/testing';
import { SimulatedDevice, type SimulatedDeviceEvent } from '../bench/support/simulated-device.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;

const BACKLOG = 10;
const LIVE = 20;
const LIVE_INTERVAL_MS = 50;

beforeAll(async () => {
  // A bucket of 5 readings refilled at 5/s: a backlog of 10 plus a reading every 50 ms is refused repeatedly.
  app = await startTestApp(ctx, {
    ALERT_EVALUATOR_ENABLED: 'false',
    DEVICE_RATE_PER_SECOND: '5',
    DEVICE_RATE_BURST: '5',
  });
});
afterAll(async () => {
  await app?.close();
});

test('the simulator sends nothing while refused, then resends what it holds: every reading stored exactly once', async () => {
  const [seeded] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  const events: SimulatedDeviceEvent[] = [];
  const device = await SimulatedDevice.open({
    wsUrl: app.wsUrl,
    deviceId: seeded!.id,
    token: seeded!.token,
    maxReadingsPerMessage: 5,
    onEvent: (event) => events.push(event),
  });
  // A backlog (readings taken a second apart while the device was offline), then live readings.
  for (let i = 0; i < BACKLOG; i += 1) device.record(new Date(Date.now() - (BACKLOG - i) * 1_000));
  const live = setInterval(() => {
    if (device.counts.recorded < BACKLOG + LIVE) device.record();
  }, LIVE_INTERVAL_MS);
  try {
    await waitUntil(
      'every reading recorded and acknowledged',
      () => device.counts.recorded === BACKLOG + LIVE && device.unackedCount === 0,
      60_000,
    );
  } finally {
    clearInterval(live);
    device.terminate();
  }

  // Each refusal opens a window (its retryAfterMs from when it arrived): a device that honours it is silent there.
  const windows = events.flatMap((event) =>
    event.kind === 'throttled' ? [{ from: event.at, to: event.at + event.retryAfterMs }] : [],
  );
  const sentWhileRefused = events.filter(
    (event) =>
      event.kind === 'sent' && windows.some((window) => event.at > window.from && event.at < window.to),
  ).length;
  expect(windows.length).toBeGreaterThan(0);
  // Before: 49 messages sent into refusals, 92 messages and 62 throttled replies for 30 readings.
  expect(sentWhileRefused).toBe(0);
  const { rows } = await ctx.pool.query<{ n: number; distinct: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct FROM vital_data WHERE device_id = $1',
    [seeded!.id],
  );
  expect(rows[0]).toEqual({ n: BACKLOG + LIVE, distinct: BACKLOG + LIVE });
});
