import type { IsolatedContext } from '@remedy/testing';
import { parseConfig, type AppConfig, type ConfigValues } from '../../src/config.js';

export type TestServices = Pick<IsolatedContext, 'databaseUrl' | 'redisUrl' | 'prefix'>;

/** A fixed test secret: long enough for the config's checks, never used outside tests. */
export const TEST_SECRETS = {
  JWT_ACCESS_SECRET: 'test-access-token-secret-0123456789abcdef',
} as const;

/**
 * The app config for one isolated test context, built through the same parser as production: its own
 * database, Redis key prefix and BullMQ prefix, a quiet logger, a short append window; `overrides` are
 * env-style strings.
 */
export function testConfig(ctx: TestServices, overrides: ConfigValues = {}): AppConfig {
  // A 20 ms group commit: tests wait for `saved` after each edit, 2 s each at the production window. A 600 ms
  // writer lease: a document whose writer died is taken over within a second, not 6 to 8.
  const defaults = {
    PORT: '0',
    DB_POOL_MAX: '10',
    COLLAB_APPEND_WINDOW_MS: '20',
    COLLAB_WRITER_LEASE_MS: '600',
  };
  return parseConfig(testEnvironment(ctx, { ...defaults, ...overrides }));
}

/** The environment of an app process (`npm run serve`) for one isolated test context. */
export function testEnvironment(ctx: TestServices, overrides: ConfigValues = {}): Record<string, string> {
  return {
    ...TEST_SECRETS,
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_KEY_PREFIX: `${ctx.prefix}:`,
    QUEUE_PREFIX: ctx.prefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}
