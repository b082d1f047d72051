import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { registerPartitionMetrics } from '@remedy/partitioning';
import { METRICS_REGISTRY } from '@remedy/observability';
import type { PgPool } from '@remedy/pooling';
import { Gauge, type Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { PRIMARY_POOL } from '../database/database.tokens.js';
import { vitalDataPolicy } from './vital-data.policy.js';

/** Size of the partition that receives today's readings and its growth since midnight UTC, read on scrape. */
export const ACTIVE_PARTITION_SQL = `
SELECT c.relname AS partition, pg_total_relation_size(c.oid)::float8 AS bytes,
       extract(epoch FROM now() - date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::float8 AS seconds
  FROM pg_class c
 WHERE c.relname = 'vital_data_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')`;

/**
 * Capacity metrics (V-11): every partition's bytes and row estimate (@remedy/partitioning), plus the
 * active partition's size and its growth rate, which infra/prometheus/rules/medical-vitals.yml alerts on.
 * Every API worker reads the same table, so across a cluster's workers the gauges take the `max`, not the sum.
 */
@Injectable()
export class PartitionCapacityMetrics implements OnModuleInit {
  constructor(
    @Inject(METRICS_REGISTRY) protected readonly registry: Registry,
    @Inject(PRIMARY_POOL) protected readonly pool: PgPool,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
  ) {}

  /** The statement the active-partition gauges read on each scrape. */
  protected readonly activePartitionSql: string = ACTIVE_PARTITION_SQL;

  onModuleInit(): void {
    registerPartitionMetrics(this.registry, this.pool, [vitalDataPolicy(this.config.lifecycle)]);
    const pool = this.pool;
    const sql = this.activePartitionSql;
    const read = async (): Promise<{ bytes: number; seconds: number }> => {
      const { rows } = await pool.query<{ bytes: number; seconds: number }>(sql);
      return rows[0] ?? { bytes: 0, seconds: 0 };
    };
    new Gauge({
      name: 'vitals_active_partition_bytes',
      help: "Size of today's vital_data partition (table + indexes), bytes",
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        this.set((await read()).bytes);
      },
    });
    new Gauge({
      name: 'vitals_active_partition_growth_bytes_per_second',
      help: "Average growth of today's vital_data partition since midnight UTC, bytes per second",
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        const { bytes, seconds } = await read();
        // In the first minute of a day the average is noise; report nothing rather than a spike.
        this.set(seconds > 60 ? bytes / seconds : 0);
      },
    });
  }
}
