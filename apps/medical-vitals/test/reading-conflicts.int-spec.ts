import { useTestContext } from '@remedy/testing';
import { DeviceClient, type ServerReply } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

/**
 * Two readings of one device at one instant with different values: the first is stored, the second is
 * refused with `conflicting_reading` (never acked as stored and dropped); an identical resend stays an ack.
 */
const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let registry: SeededRegistry;

beforeAll(async () => {
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  registry = await seedRegistry(ctx.pool, { wards: 1, patients: 3 });
});
afterAll(async () => {
  await app?.close();
});

async function storedHeartRates(deviceId: string): Promise<number[]> {
  const { rows } = await ctx.pool.query<{ heart_rate: number }>(
    'SELECT heart_rate FROM vital_data WHERE device_id = $1 ORDER BY received_at',
    [deviceId],
  );
  return rows.map((row) => row.heart_rate);
}

const acks = (client: DeviceClient): ServerReply[] => client.replies.filter((reply) => reply.type === 'ack');
const errors = (client: DeviceClient): ServerReply[] =>
  client.replies.filter((reply) => reply.type === 'error');

test('in one frame: the second reading at the same instant with other values is refused, not acked and dropped', async () => {
  const device = registry.devices[0]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  const recordedAt = new Date(Date.now() - 5_000).toISOString();
  client.sendReadings([
    { seq: 1, recordedAt, heartRate: 72 },
    { seq: 2, recordedAt, heartRate: 140 },
  ]);
  await client.untilAcked(2);
  expect(errors(client)).toEqual([
    expect.objectContaining({
      code: 'conflicting_reading',
      seq: 2,
      message: expect.stringContaining(recordedAt) as unknown,
    }),
  ]);
  expect(acks(client)).toEqual([{ type: 'ack', upToSeq: 2, count: 1 }]);
  expect(await storedHeartRates(device.id)).toEqual([72]);
  client.close();
});

test('in two frames: the later conflicting reading is refused; an identical resend is acked and stored once', async () => {
  const device = registry.devices[1]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  const recordedAt = new Date(Date.now() - 5_000).toISOString();
  const first = { seq: 1, recordedAt, heartRate: 72, spo2: 97, temperature: 36.6 };
  client.sendReadings([first]);
  await client.untilAcked(1);
  client.sendReadings([{ ...first, seq: 2, heartRate: 140 }]);
  await client.untilAcked(2);
  client.sendReadings([first]);
  await client.until(() => acks(client).length === 3);
  expect(errors(client)).toEqual([expect.objectContaining({ code: 'conflicting_reading', seq: 2 })]);
  expect(acks(client).map((ack) => ack['count'])).toEqual([1, 0, 1]);
  expect(await storedHeartRates(device.id)).toEqual([72]);
  client.close();
});

test('identical readings twice in one frame are one row and one ack, with no refusal', async () => {
  const device = registry.devices[2]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  const reading = { seq: 7, recordedAt: new Date(Date.now() - 5_000).toISOString(), heartRate: 80 };
  client.sendReadings([reading, reading]);
  await client.untilAcked(7);
  expect(errors(client)).toEqual([]);
  expect(acks(client)).toEqual([{ type: 'ack', upToSeq: 7, count: 2 }]);
  expect(await storedHeartRates(device.id)).toEqual([80]);
  client.close();
});
