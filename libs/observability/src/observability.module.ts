import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import cluster from 'node:cluster';
import type { Registry } from 'prom-client';
import { dataSourcePools, registerPoolMetrics } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { HealthController } from './health/health.controller.js';
import { PostgresHealthIndicator } from './health/postgres.health.js';
import { RedisHealthIndicator } from './health/redis.health.js';
import { HttpRequestHooks } from './http/http-request-hooks.service.js';
import { NestJsonLogger } from './logging/nest-json-logger.service.js';
import { createLogger } from './logging/pino-logger.factory.js';
import { RequestLog, SampledRequestLog } from './logging/request-log.js';
import { ClusterMetricsExposition } from './metrics/cluster-metrics.exposition.js';
import { DbQueryMetrics } from './metrics/db-query-metrics.service.js';
import { createMetricsRegistry } from './metrics/metrics-registry.factory.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { registerQueueMetrics } from './metrics/queue-metrics.js';
import { WebSocketMetrics } from './metrics/websocket-metrics.service.js';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability-options.js';
import type { MetricsExposition } from './metrics/metrics-exposition.js';
import { LOGGER, METRICS_EXPOSITION, METRICS_REGISTRY } from './observability.tokens.js';
import { TracingService } from './tracing/tracing.service.js';

export interface ObservabilityAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Builds the options from other providers, e.g. a TypeORM DataSource for the health check. */
  useFactory: (...args: never[]) => ObservabilityOptions | Promise<ObservabilityOptions>;
  inject?: NonNullable<Extract<Provider, { useFactory: unknown }>['inject']>;
}

/**
 * Import once in the root module: `/metrics`, `/health`, JSON request logs with correlation IDs,
 * query/queue/WebSocket metrics and, when enabled, tracing. Global, so its exports inject anywhere.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return ObservabilityModule.build({ provide: OBSERVABILITY_OPTIONS, useValue: options }, []);
  }

  static forRootAsync(options: ObservabilityAsyncOptions): DynamicModule {
    return ObservabilityModule.build(
      { provide: OBSERVABILITY_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      options.imports ?? [],
    );
  }

  /**
   * With the gauges of the pools of the importing app's TypeORM DataSource: what a worker process (no HTTP
   * server, so no health check) needs from its options beyond its name and log settings.
   */
  static forDataSource(options: Omit<ObservabilityOptions, 'pools'>): DynamicModule {
    return ObservabilityModule.forRootAsync({
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({ ...options, pools: dataSourcePools(dataSource) }),
    });
  }

  private static build(
    optionsProvider: Provider,
    imports: NonNullable<ModuleMetadata['imports']>,
  ): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [...imports, TerminusModule.forRoot()],
      controllers: [MetricsController, HealthController],
      providers: [
        optionsProvider,
        { provide: METRICS_REGISTRY, useFactory: metricsRegistry, inject: [OBSERVABILITY_OPTIONS] },
        {
          provide: METRICS_EXPOSITION,
          useFactory: metricsExposition,
          inject: [OBSERVABILITY_OPTIONS, METRICS_REGISTRY],
        },
        { provide: LOGGER, useFactory: logger, inject: [OBSERVABILITY_OPTIONS] },
        {
          provide: RequestLog,
          useFactory: (options: ObservabilityOptions, pinoLogger: ReturnType<typeof createLogger>) =>
            new SampledRequestLog(pinoLogger, options.requestLog),
          inject: [OBSERVABILITY_OPTIONS, LOGGER],
        },
        TracingService,
        NestJsonLogger,
        HttpRequestHooks,
        DbQueryMetrics,
        WebSocketMetrics,
        PostgresHealthIndicator,
        RedisHealthIndicator,
      ],
      exports: [METRICS_REGISTRY, LOGGER, RequestLog, NestJsonLogger, WebSocketMetrics, TracingService],
    };
  }
}

function metricsRegistry(options: ObservabilityOptions): ReturnType<typeof createMetricsRegistry> {
  const registry = createMetricsRegistry(options.serviceName, options.registry);
  for (const pool of options.pools ?? []) registerPoolMetrics(registry, pool);
  if (options.queues !== undefined) registerQueueMetrics(registry, options.queues);
  return registry;
}

function metricsExposition(options: ObservabilityOptions, registry: Registry): MetricsExposition {
  return options.metricsScope === 'cluster' && cluster.isWorker
    ? new ClusterMetricsExposition(registry)
    : registry;
}

function logger(options: ObservabilityOptions): ReturnType<typeof createLogger> {
  return createLogger({
    serviceName: options.serviceName,
    level: options.logLevel,
    destination: options.logDestination,
  });
}
