import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiErrorFilter, createValidationPipe } from '@remedy/http';
import { ObservabilityModule } from '@remedy/observability';
import { dataSourcePools, type RedisClients, REDIS_CLIENTS, RedisClientsModule } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { AppConfigModule } from './app-config.module.js';
import { AppAuthModule } from './auth/app-auth.module.js';
import { ChatModule } from './chat/chat.module.js';
import type { AppConfig } from './config.js';
import { DatabaseModule } from './database/database.module.js';
import { FollowsModule } from './follows/follows.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { SloModule } from './slo/slo.module.js';
import { StreamsModule } from './streams/streams.module.js';
import { TipsModule } from './tips/tips.module.js';
import { ViewerPageModule } from './viewer-page/viewer-page.module.js';
import { ViewersModule } from './viewers/viewers.module.js';

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
        ProfilesModule,
        FollowsModule,
        NotificationsModule,
        SloModule,
        StreamsModule,
        RateLimitModule,
        TipsModule,
        ViewersModule,
        ChatModule,
        ViewerPageModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useValue: new ApiErrorFilter() },
      ],
    };
  }
}
