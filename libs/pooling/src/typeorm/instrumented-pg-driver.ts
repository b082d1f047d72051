import pg from 'pg';
import { PgPool, type PgPoolConfig } from '../postgres/pg-pool.js';

/** The subset of the `pg` module TypeORM's PostgresDriver uses when given through its `driver` option. */
export interface PgDriverModule {
  Pool: new (config: PgPoolConfig) => PgPool;
  defaults: typeof pg.defaults;
}

/**
 * A stand-in for the `pg` module whose pools are PgPools, so every TypeORM statement publishes a query event
 * and exhaustion raises PoolExhaustedError. TypeORM builds the primary and replica pools from the same module
 * and only their `application_name` tells them apart, hence the lookup.
 */
export function instrumentedPgDriver(
  poolNameFor: (applicationName: string | undefined) => string,
): PgDriverModule {
  class DataSourcePool extends PgPool {
    constructor(config: PgPoolConfig) {
      super(poolNameFor(config.application_name), config);
    }
  }
  return { Pool: DataSourcePool, defaults: pg.defaults };
}
