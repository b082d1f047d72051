import type { PgPoolSettings } from '../../src/index.js';

/** Generous defaults for tests; each test overrides the knob it is about. */
export function testPoolSettings(
  connectionString: string,
  overrides: Partial<PgPoolSettings> & { name: string },
): PgPoolSettings {
  return {
    connectionString,
    max: 4,
    connectionTimeoutMillis: 5_000,
    statementTimeoutMs: 10_000,
    idleInTransactionSessionTimeoutMs: 10_000,
    ...overrides,
  };
}
