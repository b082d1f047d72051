import { PgPool } from './pg-pool.js';
import { pgPoolKnobs, type PgPoolSettings } from './pg-pool-settings.js';

/** A named, instrumented pg pool with every knob set on purpose (see PgPoolSettings). */
export function createPgPool(settings: PgPoolSettings): PgPool {
  return new PgPool(settings.name, {
    connectionString: settings.connectionString,
    application_name: settings.applicationName ?? settings.name,
    ...pgPoolKnobs(settings),
  });
}
