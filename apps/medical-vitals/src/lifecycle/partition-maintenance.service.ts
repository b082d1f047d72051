import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  PartitionMaintainer,
  startScheduledPartitionMaintenance,
  type PartitionPolicy,
} from '@remedy/partitioning';
import type { PgPool, RedisClients } from '@remedy/pooling';
import type { ConnectionOptions, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { PRIMARY_POOL } from '../database/database.tokens.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';
import { archiveFromConfig } from './archive-store.factory.js';
import { vitalDataPolicy } from './vital-data.policy.js';

/**
 * The worker's partition lifecycle (V-10): an hourly BullMQ job premakes daily partitions a week ahead
 * and retires those past the 90-day hot window (detach → gzip CSV to S3 → verify → drop). Retention never
 * runs without an archive store: the worker refuses to start rather than drop unarchived data.
 */
@Injectable()
export class PartitionMaintenanceService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PartitionMaintenanceService.name);
  private worker: Worker | undefined;
  readonly policy: PartitionPolicy;

  constructor(
    @Inject(PRIMARY_POOL) private readonly pool: PgPool,
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const archive = archiveFromConfig(config.lifecycle);
    if (archive === undefined) {
      throw new Error(
        'the worker needs ARCHIVE_S3_BUCKET: partitions past the hot window are archived before they are dropped',
      );
    }
    this.policy = vitalDataPolicy(config.lifecycle, archive);
  }

  async onModuleInit(): Promise<void> {
    const prefix = `${this.config.redisKeyPrefix}bull`;
    // pooling's queue options are BullMQ-safe (no keyPrefix, unlimited retries); the cast bridges two ioredis typings.
    const connection = this.redis.queueConnection as ConnectionOptions;
    const maintainer = new PartitionMaintainer(this.pool, { log: (line) => this.logger.log(line) });
    this.worker = await startScheduledPartitionMaintenance({
      name: 'partition maintenance',
      connection,
      prefix,
      maintainer,
      policies: [this.policy],
      pattern: this.config.lifecycle.maintenanceCron,
      runImmediately: true,
      onError: (message) => this.logger.error(message),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }
}
