import { Gauge, type Registry } from 'prom-client';
import type { PgPool } from '../postgres/pg-pool.js';

type PoolReading = (pool: PgPool) => number;

// One set of gauges per registry, shared by every pool registered on it (a metric name can exist only once).
const poolsByRegistry = new WeakMap<Registry, Set<PgPool>>();

/**
 * Exposes a pool's connection counts on `registry`, labelled `pool="<name>"`, read on each scrape:
 * db_pool_connections (open), db_pool_idle_connections, db_pool_waiting_requests (callers queued for a
 * connection: the saturation signal) and db_pool_max_connections. Returns a function that removes the pool.
 */
export function registerPoolMetrics(registry: Registry, pool: PgPool): () => void {
  let pools = poolsByRegistry.get(registry);
  if (pools === undefined) {
    pools = new Set();
    poolsByRegistry.set(registry, pools);
    registerPoolGauges(registry, pools);
  }
  pools.add(pool);
  const registered = pools;
  return () => {
    registered.delete(pool);
  };
}

function registerPoolGauges(registry: Registry, pools: ReadonlySet<PgPool>): void {
  const gauge = (name: string, help: string, read: PoolReading): void => {
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        // Reset so that a removed pool's series disappears instead of freezing at its last value.
        this.reset();
        for (const pool of pools) this.set({ pool: pool.name }, read(pool));
      },
    });
  };
  gauge(
    'db_pool_connections',
    'Open connections in the pool (idle + checked out).',
    (pool) => pool.totalCount,
  );
  gauge('db_pool_idle_connections', 'Open connections not checked out.', (pool) => pool.idleCount);
  gauge(
    'db_pool_waiting_requests',
    'Callers queued for a connection because all are busy.',
    (pool) => pool.waitingCount,
  );
  gauge('db_pool_max_connections', 'Configured maximum size of the pool.', (pool) => pool.options.max);
}
