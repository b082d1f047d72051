import { redisOptionsFromUrl } from '../src/index.js';

describe('redisOptionsFromUrl', () => {
  test('reads host, port, credentials and database', () => {
    expect(redisOptionsFromUrl('redis://app:p%40ss@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'app',
      password: 'p@ss',
      db: 2,
    });
  });

  test('defaults the port and turns on TLS for rediss://', () => {
    expect(redisOptionsFromUrl('rediss://cache.internal')).toEqual({
      host: 'cache.internal',
      port: 6379,
      tls: {},
    });
  });

  test('rejects other schemes', () => {
    expect(() => redisOptionsFromUrl('http://cache.internal')).toThrow(RangeError);
  });
});
