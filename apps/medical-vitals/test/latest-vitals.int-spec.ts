import { queryEvents, type QueryEvent, type RedisClients } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { DeviceClient, readings } from '../findings/support/device-client.js';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { seedRegistry } from '../findings/support/seed-registry.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { signInStaff } from '../findings/support/staff-session.js';
import { LATEST_FALLBACK_SQL } from '../src/latest-vitals/latest-vitals.sql.js';
import { READER_APPLICATION_NAME } from '../src/read-replica/reader-pools.js';
import { RedisKeys } from '../src/redis/redis-keys.js';
import { REDIS_CLIENTS } from '../src/redis/redis.tokens.js';

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
