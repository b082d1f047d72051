import type { PgPoolConfig } from '../postgres/pg-pool.js';
import type { PostgresDataSourceOptions } from './create-data-source.js';

/** The knobs that shape the pool itself; the rest of `extra` is the sessions' server-side timeouts. */
const POOL_KNOBS = [
  'max',
  'min',
  'idleTimeoutMillis',
  'connectionTimeoutMillis',
  'newConnectionTimeoutMillis',
] as const;

/**
 * `options` with its pool knobs replaced by `pool(serviceKnobs)` and the server-side timeouts kept: how a
 * measurement (a kata's flawed pool, a proof's put-back) plugs another pool into a service's DataSource.
 */
export function replacePoolKnobs(
  options: PostgresDataSourceOptions,
  pool: (serviceKnobs: PgPoolConfig) => PgPoolConfig,
): PostgresDataSourceOptions {
  const extra = { ...(options.extra as PgPoolConfig) };
  const knobs: PgPoolConfig = {};
  for (const knob of POOL_KNOBS) {
    if (extra[knob] !== undefined) Object.assign(knobs, { [knob]: extra[knob] });
    delete extra[knob];
  }
  return { ...options, extra: { ...extra, ...pool(knobs) } };
}
