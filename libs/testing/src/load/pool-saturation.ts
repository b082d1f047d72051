import pg from 'pg';
import { sampleConnections } from '../database/connection-sampler.js';
import { quoteIdent } from '../database/database-names.js';
import { waitUntil } from '../queues/wait-until.js';

export interface PoolSaturationOptions {
  /** The database the service under test uses (a server of the measurement's own: it gets exhausted). */
  databaseUrl: string;
  /** application_name of the service's pool: how its sessions are told apart in pg_stat_activity. */
  applicationName: string;
  /** A table every request reads: held ACCESS EXCLUSIVE, so each request that gets a connection blocks on it. */
  lockedTable: string;
  /** How many requests arrive at once. */
  requests: number;
  /** The connections the pool may hold; every session beyond it counts against the pool. */
  poolMax: number;
  /** How long the lock stays held for callers beyond the cap to be answered. */
  patienceMs: number;
  /** One request through the service's real API. */
  request(): Promise<Response>;
}

export interface PoolSaturation {
  /** Callers the pool did not bound while the lock was held: connections beyond the cap, left waiting, refused by the server. */
  unbounded: number;
  peakConnections: number;
  heldOnConnection: number;
  poolRefusals: number;
  otherRefusals: number;
  leftWaiting: number;
  servedAfterLock: number;
  saturation: string;
}

interface Answer {
  status: number;
  message: string;
  /** Answered while the table was still locked. */
  whileHeld: boolean;
}

// The API's 503 for an exhausted pool names it (PoolExhaustedError through the HTTP edge of @remedy/http).
const POOL_EXHAUSTED = /pool '.*' exhausted/;

/**
 * Saturation, held rather than timed: a session holds `lockedTable`, `requests` calls arrive, and every call
 * that gets a server connection blocks on the lock. While it is held, the pool's cap is all the connections
 * the service may have, and every caller beyond it must be turned away by the pool, fast, with a 503. Then
 * the lock goes and the held calls finish.
 */
export async function saturatePool(options: PoolSaturationOptions): Promise<PoolSaturation> {
  const { databaseUrl, applicationName, requests: count, poolMax, patienceMs } = options;
  const monitor = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'remedy-saturation-monitor',
  });
  const holder = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'remedy-saturation-holder',
  });
  try {
    await monitor.connect();
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${quoteIdent(options.lockedTable)} IN ACCESS EXCLUSIVE MODE`);
    const sampler = await sampleConnections(databaseUrl, applicationName);
    let held = true;
    const answers: Answer[] = [];
    const requests = Promise.all(
      Array.from({ length: count }, async () => {
        try {
          const response = await options.request();
          const body = (await response.json().catch(() => ({}))) as { message?: string };
          answers.push({ status: response.status, message: body.message ?? '', whileHeld: held });
        } catch (error) {
          answers.push({ status: 0, message: String(error), whileHeld: held });
        }
      }),
    );
    let holding = 0;
    const saturation = await waitUntil(
      'every request either held on a connection or answered',
      async () => {
        holding = await heldOnTheLock(monitor, applicationName);
        return answers.length + holding >= count;
      },
      patienceMs,
    ).then(
      () => 'every caller held or answered',
      () => `still waiting after ${patienceMs / 1000} s`,
    );
    const answeredWhileHeld = answers.length;
    held = false;
    await holder.query('COMMIT');
    await requests;
    const peakConnections = await sampler.stop();
    const whileHeld = answers.filter((answer) => answer.whileHeld);
    const poolRefusals = whileHeld.filter(
      (answer) => answer.status === 503 && POOL_EXHAUSTED.test(answer.message),
    ).length;
    const otherRefusals = whileHeld.length - poolRefusals;
    const leftWaiting = Math.max(0, count - answeredWhileHeld - holding);
    return {
      unbounded: Math.max(0, peakConnections - poolMax) + leftWaiting + otherRefusals,
      peakConnections,
      heldOnConnection: holding,
      poolRefusals,
      otherRefusals,
      leftWaiting,
      servedAfterLock: answers.filter((answer) => !answer.whileHeld && answer.status === 200).length,
      saturation,
    };
  } finally {
    await holder.end().catch(() => undefined);
    await monitor.end().catch(() => undefined);
  }
}

/** The service's sessions waiting on a lock: requests that got a server connection and are held on it. */
async function heldOnTheLock(monitor: pg.Client, applicationName: string): Promise<number> {
  const { rows } = await monitor.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
    [applicationName],
  );
  return rows[0]?.n ?? 0;
}

/** The report's details of one saturation run, in the same words for every service. */
export function poolSaturationDetails(
  options: Pick<PoolSaturationOptions, 'requests' | 'poolMax'>,
  saturation: PoolSaturation,
): Record<string, number | string> {
  return {
    requests: options.requests,
    'pool cap': options.poolMax,
    'peak server connections': saturation.peakConnections,
    'held on a connection': saturation.heldOnConnection,
    'refused fast by the pool (503)': saturation.poolRefusals,
    'refused otherwise (server "too many clients")': saturation.otherRefusals,
    'left waiting': saturation.leftWaiting,
    'served after the lock': saturation.servedAfterLock,
    saturation: saturation.saturation,
  };
}
