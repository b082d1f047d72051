import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` with an EntityManager pinned to one replica connection (the primary when no replica is
 * configured), released afterwards. Use for read-only work that tolerates replication lag.
 */
export function withReadConnection<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return withQueryRunner(dataSource, 'slave', work);
}

/**
 * Runs `work` with an EntityManager pinned to one primary connection. Use for reads that must see the
 * caller's own recent writes, which the replica may not have replayed yet.
 */
export function withPrimaryConnection<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return withQueryRunner(dataSource, 'master', work);
}

async function withQueryRunner<T>(
  dataSource: DataSource,
  mode: 'master' | 'slave',
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner(mode);
  try {
    return await work(runner.manager);
  } finally {
    await runner.release();
  }
}
