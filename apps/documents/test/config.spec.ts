import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

describe('config', () => {
  it('defaults to port 3004, 1 h access tokens and one Redis for cache and queues', () => {
    const config = parseConfig({ JWT_ACCESS_SECRET: SECRET, REDIS_URL: 'redis://cache:6379' });
    expect(config.http.port).toBe(3004);
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

  it('refuses an append window that a stop could not drain within its grace (two drains, a window apart)', () => {
    const base = { JWT_ACCESS_SECRET: SECRET };
    // The defaults: 2 s, then the sockets' 5 s, within 10 s.
    expect(parseConfig(base).collaboration.socketsDrainMs).toBe(5_000);
    expect(() => parseConfig({ ...base, COLLAB_APPEND_WINDOW_MS: '5000' })).toThrow(/SHUTDOWN_GRACE_MS/);
    expect(
      parseConfig({ ...base, COLLAB_APPEND_WINDOW_MS: '10000', SHUTDOWN_GRACE_MS: '30000' }).collaboration
        .appendWindow.windowMs,
    ).toBe(10_000);
  });
});
