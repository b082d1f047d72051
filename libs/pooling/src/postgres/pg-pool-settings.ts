import type pg from 'pg';
import { PoolSettingsError } from './pool-settings.error.js';

/**
 * Every knob of a Postgres pool. The ones whose pg default is dangerous are required: `max` (must come from
 * the capacity formula, see pool-size.ts), `connectionTimeoutMillis` (pg's default 0 waits forever when the
 * pool is exhausted), and the two server-side timeouts (pg's default is none, so one runaway query or one
 * forgotten transaction holds a connection, and its locks, indefinitely).
 */
export interface PgPoolSettings {
  /** Label used in errors, query events and metrics. */
  name: string;
  connectionString: string;
  /** Upper bound of open connections from this process. */
  max: number;
  /** How long a caller waits for a free connection before PoolExhaustedError. Must be > 0. */
  connectionTimeoutMillis: number;
  /**
   * How long opening a new connection may take; defaults to 10 s. Apart from connectionTimeoutMillis on
   * purpose: a server slow to start a backend (a loaded host, a failover) is not an exhausted pool, and
   * cutting its connections at the short wait deadline would fail an instance's start-up and make the
   * server start (and kill) one backend after another.
   */
  newConnectionTimeoutMillis?: number;
  /** Server-side `statement_timeout`: the server cancels any statement running longer. */
  statementTimeoutMs: number;
  /** Server-side `idle_in_transaction_session_timeout`: the server ends sessions idling inside a transaction. */
  idleInTransactionSessionTimeoutMs: number;
  /** Connections kept open when idle; defaults to 0 (a quiet instance gives its connections back). */
  min?: number;
  /** How long an unused connection stays open; defaults to 10 s. */
  idleTimeoutMillis?: number;
  /** Server-side `application_name` (visible in pg_stat_activity); defaults to `name`. */
  applicationName?: string;
}

export const PG_POOL_DEFAULTS = {
  min: 0,
  idleTimeoutMillis: 10_000,
  newConnectionTimeoutMillis: 10_000,
} as const;

/**
 * The pool and session knobs as pg config, plus PgPool's own `newConnectionTimeoutMillis`. The server-side
 * timeouts travel as startup parameters, so they apply server-side.
 */
export type PgPoolKnobs = Pick<
  pg.PoolConfig,
  | 'max'
  | 'min'
  | 'idleTimeoutMillis'
  | 'connectionTimeoutMillis'
  | 'statement_timeout'
  | 'idle_in_transaction_session_timeout'
> & { newConnectionTimeoutMillis: number };

export function pgPoolKnobs(settings: PgPoolSettings): PgPoolKnobs {
  const min = settings.min ?? PG_POOL_DEFAULTS.min;
  const idleTimeoutMillis = settings.idleTimeoutMillis ?? PG_POOL_DEFAULTS.idleTimeoutMillis;
  const newConnectionTimeoutMillis =
    settings.newConnectionTimeoutMillis ?? PG_POOL_DEFAULTS.newConnectionTimeoutMillis;
  const problems = [
    ...positiveInteger('max', settings.max),
    ...positiveInteger('connectionTimeoutMillis', settings.connectionTimeoutMillis),
    ...positiveInteger('newConnectionTimeoutMillis', newConnectionTimeoutMillis),
    ...positiveInteger('statementTimeoutMs', settings.statementTimeoutMs),
    ...positiveInteger('idleInTransactionSessionTimeoutMs', settings.idleInTransactionSessionTimeoutMs),
    ...nonNegativeInteger('min', min),
    ...nonNegativeInteger('idleTimeoutMillis', idleTimeoutMillis),
    ...(min > settings.max ? [`min (${min}) exceeds max (${settings.max})`] : []),
    ...(settings.name.trim() === '' ? ['name must not be empty'] : []),
  ];
  if (problems.length > 0) throw new PoolSettingsError(settings.name, problems);
  return {
    max: settings.max,
    min,
    idleTimeoutMillis,
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
    newConnectionTimeoutMillis,
    statement_timeout: settings.statementTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionSessionTimeoutMs,
  };
}

function positiveInteger(field: string, value: number): string[] {
  return Number.isInteger(value) && value > 0 ? [] : [`${field} must be a positive integer, got ${value}`];
}

function nonNegativeInteger(field: string, value: number): string[] {
  return Number.isInteger(value) && value >= 0
    ? []
    : [`${field} must be a non-negative integer, got ${value}`];
}
