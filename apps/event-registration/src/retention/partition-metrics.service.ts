import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { registerPartitionMetrics } from '@remedy/partitioning';
import { dataSourcePools } from '@remedy/pooling';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { eventPartitionPolicies } from './partition-policies.js';

/**
 * partition_size_bytes / partition_estimated_rows on the API's /metrics (the worker serves no HTTP): shows
 * growth per month and rows stuck in a default partition (premake behind), read from the catalog per scrape.
 */
@Injectable()
export class PartitionMetrics implements OnModuleInit {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const [primary] = dataSourcePools(this.dataSource);
    if (primary)
      registerPartitionMetrics(this.registry, primary, eventPartitionPolicies(this.config.retention));
  }
}
