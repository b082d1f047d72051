import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@remedy/observability';
import { dataSourcePools, type RedisClients } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import type { AppConfig } from './config.js';
import { AppConfigModule } from './config.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { StaffAccessModule } from './auth/staff-access.module.js';
import { DashboardsModule } from './dashboards/dashboards.module.js';
import { DatabaseModule } from './database/database.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LatestVitalsModule } from './latest-vitals/latest-vitals.module.js';
import { RedisModule } from './redis/redis.module.js';
import { REDIS_CLIENTS } from './redis/redis.tokens.js';
import { RegistryModule } from './registry/registry.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { StorageModule } from './storage/storage.module.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';
import { WebModule } from './web/web.module.js';

/**
 * The shared ground every entry (API, worker) stands on: config, database, Redis, observability, metrics.
 * `metricsScope: 'cluster'` for an entry that main.ts may run as node:cluster workers (the API with
 * INGEST_WORKERS > 1): its `/metrics` then counts every worker, not the one the scrape landed on.
 */
export function coreImports(
  config: AppConfig,
  serviceName: string,
  metricsScope: 'process' | 'cluster' = 'process',
): DynamicModule['imports'] {
  return [
    AppConfigModule.forRoot(config),
    DatabaseModule,
    RedisModule,
    ObservabilityModule.forRootAsync({
      inject: [DataSource, REDIS_CLIENTS],
      useFactory: (dataSource: DataSource, redis: RedisClients) => ({
        serviceName,
        metricsScope,
        pools: dataSourcePools(dataSource),
        health: { postgres: dataSource, redis: [redis.cache], timeoutMs: 1_000 },
        tracing: {
          enabled: config.tracing.enabled,
          exporter: config.tracing.exporter,
          sampleRatio: config.tracing.sampleRatio,
          ...(config.tracing.otlpUrl === undefined ? {} : { otlpUrl: config.tracing.otlpUrl }),
        },
        slowQueryMs: 200,
        logLevel: config.logLevel,
      }),
    }),
    TelemetryModule,
  ];
}

/** The API process: registry REST, device ingest, alerts, and the read side (dashboards). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(coreImports(config, 'medical-vitals', 'cluster') ?? []),
        StaffAccessModule.forRoot(config),
        RegistryModule,
        LatestVitalsModule,
        StorageModule,
        IngestModule,
        AlertsModule,
        LifecycleModule,
        DashboardsModule,
        ReportsModule,
        WebModule,
      ],
    };
  }
}
