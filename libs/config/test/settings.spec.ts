import { describe, expect, it } from '@jest/globals';
import {
  ConfigReader,
  readAccessTokenSettings,
  readDatabaseSettings,
  readPoolSize,
  readRedisSettings,
  type ConfigValues,
} from '../src/index.js';

const DATABASE = { url: 'postgres://127.0.0.1:5432/app', applicationName: 'app' };

function poolSize(values: ConfigValues, options?: Parameters<typeof readPoolSize>[1]): number {
  return readPoolSize(new ConfigReader(values), options);
}

describe('readPoolSize', () => {
  it('sizes the pool by the capacity formula, or takes DB_POOL_MAX', () => {
    // (4 cores × 2 + 1 spindle) / 2 instances, rounded up; ceiling (100 − 10) / 2 = 45
    expect(poolSize({})).toBe(5);
    expect(poolSize({ DB_POOL_MAX: '12' })).toBe(12);
  });

  it('shares the budget among every pool of every instance', () => {
    // 2 instances × 4 processes: ceil(9 / 8) = 2
    expect(poolSize({}, { poolsPerInstance: 4 })).toBe(2);
    expect(
      poolSize({ DB_INSTANCES: '9' }, { instancesVariable: 'DB_INSTANCES', defaults: { serverCores: 2 } }),
    ).toBe(1);
  });

  it('reports a fleet the server cannot hold as a config problem', () => {
    const read = new ConfigReader({ DB_SERVER_MAX_CONNECTIONS: '10', DB_POOL_INSTANCES: '20' });
    expect(readPoolSize(read)).toBe(1);
    expect(() => read.assertValid()).toThrow(/no connection left per instance/);
  });
});

describe('the shared sections', () => {
  it('read the documented defaults', () => {
    const read = new ConfigReader({ JWT_ACCESS_SECRET: 'x'.repeat(32), REDIS_URL: 'redis://cache:6379' });
    expect(readDatabaseSettings(read, DATABASE)).toEqual({
      ...DATABASE,
      poolMax: 5,
      connectionTimeoutMs: 5_000,
      statementTimeoutMs: 3_000,
      idleInTransactionTimeoutMs: 10_000,
      idleTimeoutMs: 10_000,
      maintenanceStatementTimeoutMs: 600_000,
    });
    expect(readRedisSettings(read, { keyPrefix: 'app:', queuePrefix: 'app-bull' })).toEqual({
      url: 'redis://cache:6379',
      queueUrl: 'redis://cache:6379',
      keyPrefix: 'app:',
      queuePrefix: 'app-bull',
    });
    expect(
      readAccessTokenSettings(read, { accessTokenTtlSeconds: 900, issuer: 'i', audience: 'a' }),
    ).toMatchObject({
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 7 * 86_400,
    });
    read.assertValid();
  });

  it('refuse a queue Redis that is not a Redis URL', () => {
    const read = new ConfigReader({ QUEUE_REDIS_URL: 'http://queue' });
    readRedisSettings(read, { keyPrefix: 'app:', queuePrefix: 'app-bull' });
    expect(() => read.assertValid()).toThrow('QUEUE_REDIS_URL must be a redis: or rediss:// URL');
  });
});
