import type pg from 'pg';

export type LockedResult<T> = { acquired: true; result: T } | { acquired: false };

/**
 * Session-level advisory locks keep two instances from running the same maintenance at once. Session
 * level, not transaction level: DETACH … CONCURRENTLY must run outside a transaction block, so the
 * guarded work spans several transactions on the one connection that holds the lock.
 */
export async function withAdvisoryLock<T>(
  pool: pg.Pool,
  name: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const locked = await runLocked(
    pool,
    name,
    'SELECT true AS acquired FROM pg_advisory_lock(hashtextextended($1, 0))',
    work,
  );
  if (!locked.acquired) throw new Error(`Advisory lock "${name}" was not granted`);
  return locked.result;
}

/** Like withAdvisoryLock, but gives up at once when another session holds the lock. */
export function tryWithAdvisoryLock<T>(
  pool: pg.Pool,
  name: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<LockedResult<T>> {
  return runLocked(pool, name, 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired', work);
}

async function runLocked<T>(
  pool: pg.Pool,
  name: string,
  lockStatement: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<LockedResult<T>> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ acquired: boolean }>(lockStatement, [name]);
    if (!rows[0]?.acquired) return { acquired: false };
    try {
      return { acquired: true, result: await work(client) };
    } finally {
      await client
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name])
        .catch((error: unknown) => {
          // A connection that cannot unlock is discarded: closing the session releases the lock.
          broken = error instanceof Error ? error : new Error(String(error));
        });
    }
  } finally {
    client.release(broken);
  }
}
