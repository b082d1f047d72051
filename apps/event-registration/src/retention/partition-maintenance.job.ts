import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  startScheduledPartitionMaintenance,
  type MaintenanceReport,
  type PartitionMaintenanceJobData,
} from '@remedy/partitioning';
import { createPgPool, type PgPool, QUEUE_CONNECTION } from '@remedy/pooling';
import type { ConnectionOptions, Worker } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { createArchiveStore } from './archive-store.factory.js';
import { PartitionMaintenanceService } from './partition-maintenance.service.js';

/**
 * Registers the repeating maintenance job (upsert, so every worker instance may do it) and runs it on a
 * BullMQ worker of concurrency 1. Its own small pool carries the long maintenance statement timeout, so the
 * request pools keep their 5 s one.
 */
@Injectable()
export class PartitionMaintenanceJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PartitionMaintenance');
  private pool: PgPool | undefined;
  private worker: Worker<PartitionMaintenanceJobData, MaintenanceReport[]> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { database, retention, redis } = this.config;
    this.pool = createPgPool({
      name: `${database.applicationName}-maintenance`,
      connectionString: database.url,
      max: 2,
      connectionTimeoutMillis: database.connectionTimeoutMs,
      statementTimeoutMs: database.maintenanceStatementTimeoutMs,
      idleInTransactionSessionTimeoutMs: database.idleInTransactionTimeoutMs,
    });
    const service = new PartitionMaintenanceService(
      this.pool,
      retention,
      createArchiveStore(retention.archive),
      {
        log: (line) => this.logger.log(line),
      },
    );
    this.worker = await startScheduledPartitionMaintenance({
      name: 'maintenance',
      connection: this.connection,
      prefix: redis.queuePrefix,
      maintainer: service.maintainer,
      policies: service.policies,
      pattern: retention.cron,
      tz: 'UTC',
      runImmediately: true,
      onError: (message) => this.logger.error(message),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.pool?.end();
  }
}
