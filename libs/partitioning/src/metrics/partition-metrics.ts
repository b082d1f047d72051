import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { qualifiedIdentifier } from '../catalog/sql-identifier.js';
import type { PartitionPolicy } from '../policy/partition-policy.js';

interface PartitionSize {
  table: string;
  partition: string;
  bytes: string;
  estimated_rows: number;
}

/**
 * Gauges read from the catalog on every scrape (nothing polls in between): each partition's size in
 * bytes (heap + indexes + TOAST) and its estimated row count (as of the last ANALYZE; absent before one).
 * The default partition is included, so a non-zero `<table>_default` is the premake-fell-behind alert.
 * Every process of a node:cluster reads the same catalog: aggregated across workers they take the `max`, not the sum.
 */
export function registerPartitionMetrics(
  registry: Registry,
  pool: pg.Pool,
  policies: readonly PartitionPolicy[],
): void {
  const tables = policies.map((policy) => qualifiedIdentifier(policy.schema, policy.table));
  const labelNames = ['table', 'partition'] as const;
  // Both gauges are collected in the same scrape: they share one catalog query instead of running it twice.
  let inFlight: Promise<PartitionSize[]> | undefined;
  const readOncePerScrape = (): Promise<PartitionSize[]> =>
    (inFlight ??= readPartitionSizes(pool, tables).finally(() => {
      inFlight = undefined;
    }));
  new Gauge({
    name: 'partition_size_bytes',
    help: 'Size of each partition of a partitioned table, including indexes and TOAST.',
    labelNames,
    registers: [registry],
    aggregator: 'max',
    async collect() {
      const sizes = await readOncePerScrape();
      this.reset();
      for (const size of sizes)
        this.set({ table: size.table, partition: size.partition }, Number(size.bytes));
    },
  });
  new Gauge({
    name: 'partition_estimated_rows',
    help: "Planner's row estimate for each partition of a partitioned table (pg_class.reltuples).",
    labelNames,
    registers: [registry],
    aggregator: 'max',
    async collect() {
      const sizes = await readOncePerScrape();
      this.reset();
      // reltuples is -1 until the first ANALYZE: "unknown" is left out rather than reported as a number.
      for (const size of sizes)
        if (size.estimated_rows >= 0)
          this.set({ table: size.table, partition: size.partition }, size.estimated_rows);
    },
  });
}

async function readPartitionSizes(pool: pg.Pool, tables: readonly string[]): Promise<PartitionSize[]> {
  const { rows } = await pool.query<PartitionSize>(
    `SELECT pn.nspname || '.' || p.relname AS table, c.relname AS partition,
            pg_total_relation_size(c.oid) AS bytes, c.reltuples::float8 AS estimated_rows
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace pn ON pn.oid = p.relnamespace
      WHERE i.inhparent IN (SELECT to_regclass(name) FROM unnest($1::text[]) AS name)`,
    [tables],
  );
  return rows;
}
