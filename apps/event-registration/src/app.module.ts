import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiErrorFilter, createValidationPipe } from '@remedy/http';
import { ObservabilityModule } from '@remedy/observability';
import { dataSourcePools, type RedisClients, REDIS_CLIENTS, RedisClientsModule } from '@remedy/pooling';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfigModule } from './app-config.module.js';
import { CacheModule } from './cache/cache.module.js';
import { AppAuthModule } from './auth/app-auth.module.js';
import { CheckinModule } from './checkin/checkin.module.js';
import type { AppConfig } from './config.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { RegistrationsModule } from './registrations/registrations.module.js';
import { PartitionMetricsModule } from './retention/partition-metrics.module.js';
import { SloModule } from './slo/slo.module.js';
import { StatsModule } from './stats/stats.module.js';
import { SurveysModule } from './surveys/surveys.module.js';

export interface AppModuleOptions {
  /** Where JSON log lines go (stdout when unset); tests read them from a stream. */
  logDestination?: DestinationStream;
}

/** The HTTP application. Its config is passed in, so tests boot it on an isolated database and Redis prefix. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(config, 'api'),
        RedisClientsModule.forRoot(config),
        ObservabilityModule.forRootAsync({
          inject: [DataSource, REDIS_CLIENTS],
          useFactory: (dataSource: DataSource, redis: RedisClients) => ({
            serviceName: config.serviceName,
            pools: dataSourcePools(dataSource),
            health: { postgres: dataSource, redis: [redis.cache], timeoutMs: 1_000 },
            slowQueryMs: config.observability.slowQueryMs,
            logLevel: config.observability.logLevel,
            ...(options.logDestination ? { logDestination: options.logDestination } : {}),
          }),
        }),
        AppAuthModule.forRoot(config),
        RegistrationsModule,
        CheckinModule,
        CacheModule,
        SloModule,
        PartitionMetricsModule,
        EventsModule,
        StatsModule,
        SurveysModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useValue: new ApiErrorFilter() },
      ],
    };
  }
}
