import { Injectable } from '@nestjs/common';
import { defaultPartitionName } from '@remedy/partitioning';
import type { PgPool } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry, type SeededRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { PRIMARY_POOL } from '../src/database/database.tokens.js';
import { LatestVitalsService } from '../src/latest-vitals/latest-vitals.service.js';
import type { StoredReading } from '../src/storage/stored-reading.js';
import { StoredStreamPublisher } from '../src/storage/stored-stream.publisher.js';
import { VitalsWriter } from '../src/storage/vitals-writer.service.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;
let registry: SeededRegistry;

beforeAll(async () => {
  app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  registry = await seedRegistry(ctx.pool, { wards: 1, patients: 4 });
});
afterAll(async () => {
  await app?.close();
});

async function storedRows(deviceId: string): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM vital_data WHERE device_id = $1',
    [deviceId],
  );
  return rows[0]!.n;
}

// First in this file, so that nothing before it has opened connections on the pool's behalf.
test('the primary pool opens its connections at start and keeps them when idle (no connection setup under load)', () => {
  const pool = app.app.get<PgPool>(PRIMARY_POOL);
  expect(pool.totalCount).toBe(app.config.database.poolMax);
  expect(pool.options.min).toBe(app.config.database.poolMax);
});

test('acks readings only once they are in vital_data, and a resend stores nothing twice', async () => {
  const device = registry.devices[0]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  const batch = readings(10);
  client.sendReadings(batch);
  await client.untilAcked(9);
  expect(await storedRows(device.id)).toBe(10);
  client.sendReadings(batch);
  await client.until(() => client.replies.filter((reply) => reply.type === 'ack').length === 2);
  expect(await storedRows(device.id)).toBe(10);
  client.close();
});

test('publishes each flush to vitals:stored and updates the latest-vitals cache', async () => {
  const device = registry.devices[1]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  const batch = readings(3);
  client.sendReadings(batch);
  await client.untilAcked(2);
  const entries = (await ctx.redis.xrange(`${ctx.prefix}:vitals:stored`, '-', '+')) as [string, string[]][];
  const published = entries.flatMap(
    ([, fields]) => JSON.parse(fields[1]!) as { deviceId: string; seq: number }[],
  );
  expect(published.filter((reading) => reading.deviceId === device.id).map((reading) => reading.seq)).toEqual(
    [0, 1, 2],
  );
  const latest = await app.app.get(LatestVitalsService).forPatients([device.patientId]);
  expect(latest.get(device.patientId)).toMatchObject({
    seq: 2,
    wardId: device.wardId,
    recordedAt: batch[2]!.recordedAt,
  });
  client.close();
});

test('rejects bad readings with field-level errors and never stores them', async () => {
  const device = registry.devices[2]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  client.sendReadings([
    { seq: 1, recordedAt: new Date(Date.now() + 3_600_000).toISOString(), heartRate: 70 },
    { seq: 2, recordedAt: new Date().toISOString(), heartRate: 900 },
    { seq: 3, recordedAt: 'yesterday', spo2: 98 },
  ]);
  await client.until(() => client.replies.filter((reply) => reply.type === 'error').length === 3);
  const errors = client.replies.filter((reply) => reply.type === 'error');
  expect(errors.map((error) => [error['seq'], (error['details'] as { field: string }[])[0]!.field])).toEqual([
    [1, 'recordedAt'],
    [2, 'heartRate'],
    [3, 'recordedAt'],
  ]);
  expect(await storedRows(device.id)).toBe(0);
  client.close();
});

test('refuses a reading older than the partitions kept ready for late readings, so none lands in the default partition', async () => {
  const device = registry.devices[3]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  const day = 86_400_000;
  client.sendReadings([
    { seq: 1, recordedAt: new Date(Date.now() - 10 * day).toISOString(), heartRate: 70 },
    { seq: 2, recordedAt: new Date(Date.now() - day).toISOString(), heartRate: 71 },
  ]);
  await client.untilAcked(2);
  const { rows } = await ctx.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${defaultPartitionName('vital_data')}`,
  );
  expect(rows[0]!.n).toBe(0);
  expect(await storedRows(device.id)).toBe(1);
  const errors = client.replies.filter((reply) => reply.type === 'error');
  expect(errors).toEqual([
    expect.objectContaining({
      code: 'invalid_reading',
      seq: 1,
      details: [
        {
          field: 'recordedAt',
          problems: [expect.stringMatching(/^is older than .* the oldest day kept ready for late readings$/)],
        },
      ],
    }),
  ]);
  client.close();
});

test('refuses a wrong token, an unknown device and a token in the URL', async () => {
  const device = registry.devices[0]!;
  await expect(DeviceClient.open(app.wsUrl, device.id, 'wrong')).rejects.toThrow(/unauthorized/);
  await expect(DeviceClient.open(app.wsUrl, '00000000-0000-0000-0000-000000000000', 'x')).rejects.toThrow(
    /unauthorized/,
  );
  const client = await DeviceClient.connect(`${app.wsUrl}/ingest?token=${device.token}`);
  await client.until(() => client.closeCode !== undefined);
  expect(client.replies[0]).toMatchObject({ type: 'error', code: 'token_in_url' });
  expect(client.closeCode).toBe(4401);
});

test('a full write buffer answers throttled (buffer_full) and stores nothing of that message', async () => {
  const small = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false', WRITE_BUFFER_MAX_ROWS: '5' });
  try {
    const device = registry.devices[2]!;
    const client = await DeviceClient.open(small.wsUrl, device.id, device.token);
    client.sendReadings(readings(10, 100));
    await client.until(() => client.replies.some((reply) => reply.type === 'throttled'));
    const throttled = client.replies.find((reply) => reply.type === 'throttled')!;
    expect(throttled).toMatchObject({
      reason: 'buffer_full',
      seqs: expect.arrayContaining([100, 109]) as unknown,
    });
    // The device is refused until its retry time; a device that honours it is taken again. The margin keeps
    // this wait clear of the server's own deadline (a timer may fire a millisecond early against Date.now).
    await new Promise((resolve) => setTimeout(resolve, (throttled['retryAfterMs'] as number) + 50));
    client.sendReadings(readings(5, 200));
    await client.untilAcked(204);
    expect(await storedRows(device.id)).toBe(5);
    client.close();
  } finally {
    await small.close();
  }
});

/** Polls `check` every 10 ms (the writer's state is not a reply a device client could wait on). */
async function eventually(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('over the high-water mark a device waits in TCP (its socket unread) instead of being refused and resending', async () => {
  // Half of WRITE_BUFFER_MAX_ROWS is the high-water mark: 10 rows here, against 40 readings sent.
  const small = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false', WRITE_BUFFER_MAX_ROWS: '20' });
  const locker = await ctx.pool.connect();
  try {
    const { devices } = await seedRegistry(ctx.pool, { wards: 1, patients: 4 });
    const clients = await Promise.all(
      devices.map((device) => DeviceClient.open(small.wsUrl, device.id, device.token)),
    );
    const throttled = (): number =>
      clients.reduce(
        (n, client) => n + client.replies.filter((reply) => reply.type === 'throttled').length,
        0,
      );
    // Inserts into vital_data wait behind this lock, so the buffer fills and stays full until it is released.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE vital_data IN SHARE MODE');
    for (const client of clients) for (const reading of readings(10, 1)) client.sendReadings([reading]);
    const writer = small.app.get(VitalsWriter);
    await eventually(() => writer.waitingForAdmission > 0 || throttled() > 0);
    await locker.query('COMMIT');
    await eventually(() => clients.every((client) => client.acked >= 10) || throttled() > 0);

    expect(throttled()).toBe(0);
    const stored = await Promise.all(devices.map((device) => storedRows(device.id)));
    expect(stored).toEqual([10, 10, 10, 10]);
    for (const client of clients) client.close();
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    locker.release();
    await small.close();
  }
});

/** Publishes, then fails once as a late reply does (`Command timed out`); after that, a plain publisher. */
@Injectable()
class TimesOutOncePublisher extends StoredStreamPublisher {
  failures = 0;

  override async publish(readings: readonly StoredReading[], traceparent: string): Promise<void> {
    await super.publish(readings, traceparent);
    if (this.failures > 0) return;
    this.failures += 1;
    throw new Error('Command timed out');
  }
}

test('a committed batch whose publish times out once is published again and acked, not failed for resending', async () => {
  const flaky = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' }, [
    { provide: StoredStreamPublisher, useClass: TimesOutOncePublisher },
  ]);
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    const client = await DeviceClient.open(flaky.wsUrl, device!.id, device!.token);
    client.sendReadings(readings(5, 300));
    await client.until(() => client.replies.some((reply) => reply.type === 'ack' || reply.type === 'error'));
    expect(flaky.app.get<TimesOutOncePublisher>(StoredStreamPublisher).failures).toBe(1);
    expect(client.replies.filter((reply) => reply.type === 'error')).toEqual([]);
    expect(client.acked).toBe(304);
    expect(await storedRows(device!.id)).toBe(5);
    client.close();
  } finally {
    await flaky.close();
  }
});

test('refuses a device id that is not a uuid with a clear auth error and closes, before any SQL', async () => {
  const client = await DeviceClient.connect(`${app.wsUrl}/ingest`);
  client.send({ type: 'auth', deviceId: '-'.repeat(36), token: 'anything' });
  await client.until(() => client.closeCode !== undefined);
  expect(client.replies).toEqual([expect.objectContaining({ type: 'error', code: 'unauthorized' })]);
  expect(client.closeCode).toBe(4401);
});

test("a committed batch settles its writes (the devices' acks) a slice per event-loop turn, not all in one", async () => {
  const writer = app.app.get(VitalsWriter);
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  // A full batch of single-reading messages, as 1,000 devices at 1 Hz send them: it leaves the buffer at once.
  const messages = app.config.writer.batchRows;
  const hourAgo = Date.now() - 3_600_000;
  let settled = 0;
  const writes = Array.from({ length: messages }, (_, seq) =>
    writer
      .write([
        {
          patientId: device!.patientId,
          wardId: device!.wardId,
          deviceId: device!.id,
          seq,
          recordedAt: new Date(hourAgo + seq).toISOString(),
          heartRate: 70,
          spo2: 98,
          systolic: 120,
          diastolic: 80,
          temperature: 36.8,
        },
      ])
      .then(() => {
        settled += 1;
      }),
  );
  // How many writes had settled at each turn of the event loop, until all of them had.
  const seenAtTurn: number[] = [];
  while (settled < messages) {
    seenAtTurn.push(settled);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(writes);
  const settledInOneTurn = seenAtTurn.map((seen, turn) => (seenAtTurn[turn + 1] ?? messages) - seen);
  expect(await storedRows(device!.id)).toBe(messages);
  // All 1,000 in the turn the batch committed, before the slicing; a few dozen a turn with it.
  expect(Math.max(...settledInOneTurn)).toBeLessThanOrEqual(messages / 10);
});
