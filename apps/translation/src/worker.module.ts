import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule, type DestinationStream } from '@remedy/observability';
import { RedisClientsModule } from '@remedy/pooling';
import { AppConfigModule } from './app-config.module.js';
import { ChatWorkerModule } from './chat/messages/chat-worker.module.js';
import type { AppConfig } from './config.js';
import { DatabaseModule } from './database/database.module.js';
import { SessionEventsWorkerModule } from './events/session-events-worker.module.js';

export interface WorkerModuleOptions {
  /** Where JSON log lines go (stdout when unset); tests read them from a stream. */
  logDestination?: DestinationStream;
}

/**
 * The queue worker: no HTTP server, no sockets; translates chat messages and publishes them to their rooms, and
 * relays session events from the outbox to the consumers that act on them.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: WorkerModuleOptions = {}): DynamicModule {
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
          ...(options.logDestination ? { logDestination: options.logDestination } : {}),
        }),
        ChatWorkerModule,
        SessionEventsWorkerModule,
      ],
    };
  }
}
