import { Injectable } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { PgPool, RedisClients } from '@remedy/pooling';
import { APP_CONFIG, type AppConfig } from '../src/config.js';
import { PRIMARY_POOL } from '../src/database/database.tokens.js';
import { PartitionMaintenanceService } from '../src/lifecycle/partition-maintenance.service.js';
import { vitalDataPolicy } from '../src/lifecycle/vital-data.policy.js';
import { REDIS_CLIENTS } from '../src/redis/redis.tokens.js';

/**
 * vitals:V-10, the original design: "no retention policy", "no archival strategy", "no purging policy".
 * In place of the worker's PartitionMaintenanceService: no step ever removes, archives or moves a row, so
 * every reading stays in the hot table forever.
 */
@Injectable()
export class NoRetention extends PartitionMaintenanceService {
  // The worker's partition lifecycle, as the service runs it: an hourly job premakes daily partitions a week
  // ahead and retires each partition past the hot window: detach, archive (gzip CSV to S3, verified), drop. A
  // partition is a whole day of readings leaving at once, so no DELETE scans the hot table. The mechanism is
  // @remedy/partitioning's; what this service decides is the policy (vitalDataPolicy: window, archive).
  constructor(
    @Inject(PRIMARY_POOL) pool: PgPool,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(pool, redis, config);
  }
}

/**
 * A close cousin put back into the worker: the hourly job runs and retires expired partitions, but its
 * policy has no archive, so a partition past the hot window is dropped without being copied anywhere.
 */
@Injectable()
export class RetentionWithoutArchive extends PartitionMaintenanceService {
  constructor(
    @Inject(PRIMARY_POOL) pool: PgPool,
    @Inject(REDIS_CLIENTS) redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(pool, redis, config);
    (this as { policy: PartitionMaintenanceService['policy'] }).policy = vitalDataPolicy(config.lifecycle);
  }
}
