import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { Redis } from 'ioredis';
import { RateLimiterUnavailableError, RedisRateLimiter } from '../src/index.js';

const ctx = useTestContext({ name: 'http' });

/** A limiter with keys of its own under the test's Redis prefix. */
function limiterUnderTest(requests: number, windowSeconds: number): RedisRateLimiter {
  return new RedisRateLimiter(
    ctx.redis,
    { requests, windowSeconds },
    { keyPrefix: ctx.key(`rate:${randomUUID()}:`) },
  );
}

describe('RedisRateLimiter', () => {
  it('admits exactly the limit among concurrent requests from limiters sharing the Redis', async () => {
    const keyPrefix = ctx.key(`rate:${randomUUID()}:`);
    const instances = [1, 2, 3].map(
      () => new RedisRateLimiter(ctx.redis, { requests: 10, windowSeconds: 60 }, { keyPrefix }),
    );
    const decisions = await Promise.all(
      Array.from({ length: 45 }, (_, request) => instances[request % 3]!.consume('member-1')),
    );
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
    for (const refused of decisions.filter((decision) => !decision.allowed)) {
      expect(refused.remaining).toBe(0);
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
  });

  it('counts each key on its own and reopens the window when it ends, however hard a refused key retries', async () => {
    const keyPrefix = ctx.key(`rate:${randomUUID()}:`);
    const limiter = new RedisRateLimiter(ctx.redis, { requests: 2, windowSeconds: 1 }, { keyPrefix });
    expect((await limiter.consume('a')).remaining).toBe(1);
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(false);
    expect((await limiter.consume('b')).allowed).toBe(true);
    // Refusals do not extend the window: the counter's expiry stays one second after the first request. Wait for
    // Redis itself to expire it (no timer of ours racing the key's TTL), then the key is let in again.
    const msLeft = await ctx.redis.pttl(`${keyPrefix}a`);
    expect(msLeft).toBeGreaterThan(0);
    expect(msLeft).toBeLessThanOrEqual(1_000);
    while ((await ctx.redis.exists(`${keyPrefix}a`)) === 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await limiter.consume('a')).allowed).toBe(true);
  });

  it('answers 503 with a reason, not an unhandled error, when its Redis cannot be reached', async () => {
    // A real client with no server behind it: port 1 on loopback refuses, and the client does not queue.
    const unreachable = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    try {
      const refusal = await new RedisRateLimiter(unreachable, { requests: 5, windowSeconds: 60 })
        .consume('member')
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(RateLimiterUnavailableError);
      expect((refusal as RateLimiterUnavailableError).getStatus()).toBe(503);
      expect((refusal as RateLimiterUnavailableError).retryAfterSeconds).toBe(1);
    } finally {
      unreachable.disconnect();
    }
  });

  it('refuses a limit or window that is not a positive integer', () => {
    expect(() => limiterUnderTest(0, 60)).toThrow(/requests/);
    expect(() => limiterUnderTest(10, 0.5)).toThrow(/window/);
  });
});
