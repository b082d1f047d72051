import { randomUUID } from 'node:crypto';
import { queryEvents, type QueryEvent, type RedisClients } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff } from '../findings/support/staff-session.js';
import { LatestVitalsService } from '../src/latest-vitals/latest-vitals.service.js';
import { LATEST_FALLBACK_SQL } from '../src/latest-vitals/latest-vitals.sql.js';
import { READER_APPLICATION_NAME } from '../src/read-replica/reader-pools.js';
import { RedisKeys } from '../src/redis/redis-keys.js';
import { REDIS_CLIENTS } from '../src/redis/redis.tokens.js';
import type { StoredReading } from '../src/storage/stored-reading.js';

const ctx = useTestContext(medicalVitalsHarness);
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp(ctx);
});
afterAll(async () => {
  await app?.close();
});

test('a latest-vitals cache miss reads the replica pool, never the primary (V-13), and refills the cache', async () => {
  const { devices, hospitalId, wardIds } = await seedRegistry(ctx.pool, { patients: 1 });
  const nurse = await signInStaff({ url: app.url, pool: ctx.pool }, { role: 'nurse', hospitalId, wardIds });
  const device = devices[0]!;
  const client = await DeviceClient.open(app.wsUrl, device.id, device.token);
  client.sendReadings(readings(3));
  await client.untilAcked(2);
  client.close();
  const cacheKey = app.app.get(RedisKeys).latestVitals(device.patientId);
  const redis = app.app.get<RedisClients>(REDIS_CLIENTS).cache;
  await redis.del(cacheKey);

  const fallbacks: QueryEvent[] = [];
  const unsubscribe = queryEvents.subscribe((event) => {
    if (event.sql === LATEST_FALLBACK_SQL) fallbacks.push(event);
  });
  try {
    const response = await fetch(`${app.url}/patients/${device.patientId}/latest`, {
      headers: nurse.headers,
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { latest: { seq: number } }).latest.seq).toBe(2);
  } finally {
    unsubscribe();
  }
  expect(fallbacks.map((event) => event.pool)).toEqual([READER_APPLICATION_NAME]);
  expect(await redis.exists(cacheKey)).toBe(1);
});

function reading(patientId: string, recordedAt: string, heartRate: number): StoredReading {
  return {
    patientId,
    wardId: null,
    deviceId: randomUUID(),
    seq: 0,
    recordedAt,
    heartRate,
    spo2: 97,
    systolic: 120,
    diastolic: 80,
    temperature: 36.8,
  };
}

test("a batch's cache writes cost one script call per 500 patients, not one command per patient", async () => {
  const latest = app.app.get(LatestVitalsService);
  const redis = app.app.get<RedisClients>(REDIS_CLIENTS).cache;
  const patients = Array.from({ length: 1_200 }, () => randomUUID());
  const batch = patients.map((patientId, i) => reading(patientId, '2026-12-01T10:00:00.000Z', 60 + (i % 40)));
  const pipeline = redis.pipeline();
  latest.queueRecord(pipeline, batch);
  expect(pipeline.length).toBe(3);
  await pipeline.exec();
  const cached = await latest.forPatients(patients);
  expect(cached.size).toBe(1_200);
  expect(cached.get(patients[7]!)?.heartRate).toBe(67);
});

test('an older reading landing after a newer one (batches out of order) leaves the newer one cached', async () => {
  const latest = app.app.get(LatestVitalsService);
  const [late, fresh] = [randomUUID(), randomUUID()];
  await latest.record([
    reading(late, '2026-12-01T10:00:05.000Z', 140),
    reading(fresh, '2026-12-01T10:00:00.000Z', 70),
  ]);
  await latest.record([
    reading(late, '2026-12-01T10:00:04.000Z', 60),
    reading(fresh, '2026-12-01T10:00:01.000Z', 71),
  ]);
  const cached = await latest.forPatients([late, fresh]);
  expect(cached.get(late)).toMatchObject({ recordedAt: '2026-12-01T10:00:05.000Z', heartRate: 140 });
  expect(cached.get(fresh)).toMatchObject({ recordedAt: '2026-12-01T10:00:01.000Z', heartRate: 71 });
});
