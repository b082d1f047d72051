import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@remedy/observability';
import { RedisClientsModule } from '@remedy/pooling';
import { AppConfigModule } from './app-config.module.js';
import { ArchivesWorkerModule } from './archives/archives-worker.module.js';
import type { AppConfig } from './config.js';
import { DatabaseModule } from './database/database.module.js';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module.js';

/** The queue worker: no HTTP server; outbox relays and queue consumers (features append theirs). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(config, 'worker'),
        RedisClientsModule.forRoot(config),
        ObservabilityModule.forDataSource({
          serviceName: `${config.serviceName}-worker`,
          slowQueryMs: config.observability.slowQueryMs,
          logLevel: config.observability.logLevel,
        }),
        ArchivesWorkerModule,
        NotificationsWorkerModule,
      ],
    };
  }
}
