import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('config', () => {
  it('defaults to port 3003, 1 h access tokens and one Redis for cache and queues', () => {
    const config = parseConfig({ JWT_ACCESS_SECRET: SECRET, REDIS_URL: 'redis://cache:6379' });
    expect(config.http.port).toBe(3003);
    expect(config.auth.accessTokenTtlSeconds).toBe(3_600);
    expect(config.redis.queueUrl).toBe('redis://cache:6379');
  });

  it('lists every problem at once', () => {
    const problems = (): string[] => {
      try {
        parseConfig({ JWT_ACCESS_SECRET: 'short', PORT: 'x', QUEUE_REDIS_URL: 'http://q' });
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : [String(error)];
      }
    };
    expect(problems()).toEqual([
      expect.stringContaining('PORT') as unknown as string,
      expect.stringContaining('QUEUE_REDIS_URL') as unknown as string,
      expect.stringContaining('JWT_ACCESS_SECRET') as unknown as string,
    ]);
  });

  it('lets a pair have up to 4 provider calls in flight, never more than the provider pool', () => {
    const providers = (values: Record<string, string>) =>
      parseConfig({ JWT_ACCESS_SECRET: SECRET, ...values }).providers;
    expect(providers({}).maxCallsInFlightPerPair).toBe(4);
    expect(providers({ TRANSLATION_POOL_SIZE: '2' }).maxCallsInFlightPerPair).toBe(2);
    expect(providers({ TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR: '1' }).maxCallsInFlightPerPair).toBe(1);
    expect(() =>
      providers({ TRANSLATION_POOL_SIZE: '8', TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR: '9' }),
    ).toThrow(/TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR must be an integer from 1 to 8/);
  });
});
