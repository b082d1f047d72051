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
import { HistoryRetention } from './history-retention.js';

/**
 * Runs HistoryRetention as a BullMQ job scheduler (HISTORY_MAINTENANCE_CRON, and once at start-up): the
 * schedule is upserted under one id, so every instance may register it and one worker takes each run. The job
 * has its own two-connection pool with the maintenance statement timeout, so archiving a day never holds a
 * request connection or runs into the requests' 3 s limit.
 */
@Injectable()
export class HistoryRetentionJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('HistoryRetention');
  private pool: PgPool | undefined;
  private worker: Worker<PartitionMaintenanceJobData, MaintenanceReport[]> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { database, history, redis } = this.config;
    if (!history.maintenance) return;
    this.pool = createPgPool({
      name: `${database.applicationName}-history-retention`,
      connectionString: database.url,
      max: 2,
      connectionTimeoutMillis: database.connectionTimeoutMs,
      statementTimeoutMs: database.maintenanceStatementTimeoutMs,
      idleInTransactionSessionTimeoutMs: database.idleInTransactionTimeoutMs,
    });
    const retention = HistoryRetention.inDirectory(this.pool, history.archiveDirectory, {
      log: (line) => this.logger.log(line),
    });
    this.worker = await startScheduledPartitionMaintenance({
      name: 'history retention',
      connection: this.connection,
      prefix: redis.queuePrefix,
      maintainer: retention.maintainer,
      policies: [retention.policy],
      pattern: history.maintenanceCron,
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
