import { jest } from '@jest/globals';
import { createRedisClients, type RedisClients } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { randomUUID } from 'node:crypto';
import { medicalVitalsHarness } from '../findings/support/medical-vitals-harness.js';
import { buildConfig } from '../src/config.js';
import { DeviceRateLimiter } from '../src/ingest/device-rate-limiter.service.js';
import type { TokenLease } from '../src/ingest/token-lease.js';
import { RedisKeys } from '../src/redis/redis-keys.js';

const ctx = useTestContext(medicalVitalsHarness);
const opened: RedisClients[] = [];

afterAll(async () => {
  await Promise.all(opened.map((clients) => clients.close()));
});

/** A limiter with its own Redis connection, as each API instance has. */
function instance(rate: { perSecond: number; burst: number; lease: number }): {
  limiter: DeviceRateLimiter;
  clients: RedisClients;
} {
  const clients = createRedisClients({ url: ctx.redisUrl, name: 'rate-limiter-test' });
  opened.push(clients);
  const config = buildConfig({
    DATABASE_URL: ctx.databaseUrl,
    DEVICE_RATE_PER_SECOND: String(rate.perSecond),
    DEVICE_RATE_BURST: String(rate.burst),
    DEVICE_RATE_LEASE: String(rate.lease),
  });
  const limiter = new DeviceRateLimiter(clients, new RedisKeys(ctx.prefix), config);
  limiter.onModuleInit();
  return { limiter, clients };
}

test('a device sending one reading per message costs one Redis round trip per lease, not one per message', async () => {
  const { limiter, clients } = instance({ perSecond: 10, burst: 30, lease: 10 });
  // The script is loaded into Redis first (a first call may take two round trips: EVALSHA, then EVAL).
  await limiter.take(randomUUID(), 1, { held: 0 });
  const sendCommand = jest.spyOn(clients.cache, 'sendCommand');
  const deviceId = randomUUID();
  const lease: TokenLease = { held: 0 };
  for (let reading = 0; reading < 30; reading += 1) expect(await limiter.take(deviceId, 1, lease)).toBe(0);
  // Before: 30 round trips, one per reading.
  expect(sendCommand).toHaveBeenCalledTimes(3);
  sendCommand.mockRestore();
});

test("two instances' leases are both paid from the device's one bucket", async () => {
  // 0.1 token/s: nothing refills during the test, so the count is exact.
  const rate = { perSecond: 0.1, burst: 6, lease: 4 };
  const first = instance(rate).limiter;
  const second = instance(rate).limiter;
  const deviceId = randomUUID();
  const onFirst: TokenLease = { held: 0 };
  const onSecond: TokenLease = { held: 0 };
  let passed = 0;
  // The device's readings alternate between its sockets on two instances until both are refused.
  for (let round = 0; round < 20; round += 1) {
    if ((await first.take(deviceId, 1, onFirst)) === 0) passed += 1;
    if ((await second.take(deviceId, 1, onSecond)) === 0) passed += 1;
  }
  expect(passed).toBe(6);
});
