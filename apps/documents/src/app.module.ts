import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiErrorFilter, createValidationPipe } from '@remedy/http';
import { ObservabilityModule } from '@remedy/observability';
import { dataSourcePools, type RedisClients, REDIS_CLIENTS, RedisClientsModule } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { AppConfigModule } from './app-config.module.js';
import { AppAuthModule } from './auth/app-auth.module.js';
import { CollaborationModule } from './collaboration/collaboration.module.js';
import type { AppConfig } from './config.js';
import { DatabaseModule } from './database/database.module.js';
import { DocumentsModule } from './documents/documents.module.js';
import { EditorPageModule } from './editor-page/editor-page.module.js';
import { DocumentVersionsModule } from './versions/document-versions.module.js';

/** The HTTP application. Its config is passed in, so tests boot it on an isolated database and Redis prefix. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
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
          }),
        }),
        AppAuthModule.forRoot(config),
        DocumentsModule,
        CollaborationModule,
        DocumentVersionsModule,
        EditorPageModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useValue: new ApiErrorFilter() },
      ],
    };
  }
}
