import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config.js';
import { TEST_SECRETS } from '../findings/support/test-config.js';

describe('parseConfig', () => {
  it('builds a typed config with documented defaults and the pool formula', () => {
    const config = parseConfig({ ...TEST_SECRETS });
    expect(config.database).toMatchObject({
      statementTimeoutMs: 5_000,
      connectionTimeoutMs: 15_000,
      idleInTransactionTimeoutMs: 10_000,
      // (4 cores × 2 + 1 spindle) / 2 instances, rounded up; ceiling (100 − 10) / 2 = 45
      poolMax: 5,
    });
    expect(config.retention).toMatchObject({
      hotMonths: 24,
      premakeMonths: 12,
      archive: { kind: 'filesystem' },
    });
  });

  it('lets DB_POOL_MAX override the formula and sizes by the formula for a bigger fleet', () => {
    expect(parseConfig({ ...TEST_SECRETS, DB_POOL_MAX: '12' }).database.poolMax).toBe(12);
    const fleet = parseConfig({
      ...TEST_SECRETS,
      DB_SERVER_MAX_CONNECTIONS: '250',
      DB_RESERVED_CONNECTIONS: '20',
      DB_POOL_INSTANCES: '14',
      DB_SERVER_CORES: '8',
    });
    // docs/capacity-event-registration.md, production: ceiling floor(230 / 14) = 16, ceil(17 / 14) = 2
    expect(fleet.database.poolMax).toBe(2);
  });

  it('lists every problem at once, with the variable names', () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        JWT_ACCESS_SECRET: 'short',
        ARCHIVE_KIND: 's3',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be an integer from 0 to 65535 (got "eighty")',
      'DATABASE_URL must be a postgres: or postgresql:// URL',
      'JWT_ACCESS_SECRET must be at least 32 characters',
      'QR_TOKEN_SECRET is required',
      'ARCHIVE_S3_BUCKET is required',
    ]);
  });

  it('refuses a fleet the server cannot hold', () => {
    expect(() =>
      parseConfig({ ...TEST_SECRETS, DB_SERVER_MAX_CONNECTIONS: '10', DB_POOL_INSTANCES: '20' }),
    ).toThrow(/no connection left per instance/);
  });
});
