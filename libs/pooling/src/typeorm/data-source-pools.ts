import type { DataSource } from 'typeorm';
import { PgPool } from '../postgres/pg-pool.js';

/** The pools an initialised DataSource from createDataSource holds (primary first), e.g. for pool metrics. */
export function dataSourcePools(dataSource: DataSource): PgPool[] {
  // PostgresDriver keeps its pools in public but untyped fields.
  const { master, slaves } = dataSource.driver as unknown as {
    master?: unknown;
    slaves?: unknown[];
  };
  return [master, ...(slaves ?? [])].filter((pool): pool is PgPool => pool instanceof PgPool);
}
