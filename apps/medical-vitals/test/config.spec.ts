import { buildConfig, ConfigError } from '../src/config.js';

test('builds the typed config from a plain object, with defaults', () => {
  const config = buildConfig({ DATABASE_URL: 'postgres://db/vitals', REDIS_KEY_PREFIX: 'tenant-a' });
  expect(config.databaseUrl).toBe('postgres://db/vitals');
  expect(config.redisKeyPrefix).toBe('tenant-a:');
  expect(config.writer).toMatchObject({ batchRows: 1000, flushIntervalMs: 50 });
  expect(config.lifecycle).toMatchObject({ hotRetentionDays: 90, premakeDays: 7, purgeAfterYears: 7 });
  expect(config.database.poolMax).toBeGreaterThan(0);
});

test('sizes the pool from the capacity formula inputs', () => {
  const config = buildConfig({
    DATABASE_URL: 'postgres://db/vitals',
    DB_SERVER_MAX_CONNECTIONS: '200',
    DB_RESERVED_CONNECTIONS: '20',
    DB_INSTANCES: '6',
    DB_SERVER_CORES: '8',
    DB_EFFECTIVE_SPINDLES: '1',
  });
  expect(config.database.poolMax).toBe(3);
});

test('lists every invalid variable in one clear error', () => {
  expect(() => buildConfig({ WRITE_FLUSH_INTERVAL_MS: '500', TRACING_ENABLED: 'maybe' })).toThrow(
    ConfigError,
  );
  try {
    buildConfig({ WRITE_FLUSH_INTERVAL_MS: '500', TRACING_ENABLED: 'maybe' });
  } catch (error) {
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('WRITE_FLUSH_INTERVAL_MS');
    expect(message).toContain('TRACING_ENABLED');
  }
});
