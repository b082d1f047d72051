import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('config', () => {
  it('defaults to 1 h access tokens, 7 day refresh tokens and one Redis for cache and queues', () => {
    const config = parseConfig({ JWT_ACCESS_SECRET: SECRET, REDIS_URL: 'redis://cache:6379' });
    expect(config.auth.accessTokenTtlSeconds).toBe(3_600);
    expect(config.auth.refreshTokenTtlSeconds).toBe(7 * 86_400);
    expect(config.redis.queueUrl).toBe('redis://cache:6379');
    expect(config.cache.profileTtlSeconds).toBe(3_600);
  });

  it('splits Redis by use when QUEUE_REDIS_URL is set', () => {
    const config = parseConfig({
      JWT_ACCESS_SECRET: SECRET,
      REDIS_URL: 'redis://cache:6379',
      QUEUE_REDIS_URL: 'redis://queue:6379',
    });
    expect([config.redis.url, config.redis.queueUrl]).toEqual(['redis://cache:6379', 'redis://queue:6379']);
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
});
