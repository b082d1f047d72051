import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LoginThrottle } from '@remedy/auth';
import { QUEUE_REDIS } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import type { Redis } from 'ioredis';
import { ApiClient } from '../findings/support/api-client.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { TEST_PASSWORD } from '../findings/support/seed-users.js';

const ctx = useTestContext(eventRegistrationHarness);

describe('login rate limit (per account and per address, in Redis)', () => {
  let testApp: TestApp;
  let api: ApiClient;
  // The limiter's clock: moved past the lockout instead of waiting for it.
  let now = Date.now();

  beforeAll(async () => {
    testApp = await startTestApp(
      ctx,
      {},
      {
        plugs: [
          {
            provide: LoginThrottle,
            inject: [QUEUE_REDIS],
            useFactory: (redis: Redis) => new LoginThrottle({ redis, clock: () => now }),
          },
        ],
      },
    );
    api = new ApiClient(testApp.url);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('200 wrong passwords lock the account: the right password is 429 until the lockout ends', async () => {
    await api.signup('target@example.com');
    const guesses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api.call('POST', '/auth/login', { email: 'target@example.com', password: `guess-${i}` }),
      ),
    );
    const statuses: Record<number, number> = {};
    for (const guess of guesses) statuses[guess.status] = (statuses[guess.status] ?? 0) + 1;
    // Checks in flight count against the limit, so no more than 5 passwords are ever checked.
    expect(statuses).toEqual({ 401: 5, 429: 195 });

    const right = await fetch(`${testApp.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'target@example.com', password: TEST_PASSWORD }),
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await right.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', details: [] });
    now += 15 * 60_000 + 1_000;
    expect(
      (await api.call('POST', '/auth/login', { email: 'target@example.com', password: TEST_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('locks an account after 5 failures from any address; a success before that resets its count', async () => {
    await api.signup('careful@example.com');
    const fail = () =>
      api.call('POST', '/auth/login', { email: 'careful@example.com', password: 'wrong password' });
    for (let i = 0; i < 4; i += 1) expect((await fail()).status).toBe(401);
    expect(
      (await api.call('POST', '/auth/login', { email: 'careful@example.com', password: TEST_PASSWORD }))
        .status,
    ).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await fail()).status).toBe(401);
    expect((await fail()).status).toBe(401);
    expect((await fail()).status).toBe(429);
  });

  it('50 failures from one address, one per account, lock the address for every account', async () => {
    await api.signup('neighbour@example.com');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.call('POST', '/auth/login', { email: `sprayed-${i}@example.com`, password: 'Winter2026!' }),
      ),
    );
    const login = () =>
      api.call('POST', '/auth/login', { email: 'neighbour@example.com', password: TEST_PASSWORD });
    expect((await login()).status).toBe(429);
    now += 15 * 60_000 + 1_000;
    expect((await login()).status).toBe(200);
  });
});
