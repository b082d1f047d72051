import { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';

/**
 * A command client on the queue Redis, for state that must outlive any eviction: the cache Redis may run
 * allkeys-lru, so a login lockout kept there could vanish under memory pressure. The queue Redis runs
 * noeviction (BullMQ needs it anyway). Keys carry REDIS_KEY_PREFIX, apart from BullMQ's own `queuePrefix` keys.
 */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');

export function createQueueRedis(config: AppConfig): Redis {
  return new Redis(config.redis.queueUrl, {
    connectionName: `${config.serviceName}:queue-state`,
    keyPrefix: config.redis.keyPrefix,
    lazyConnect: true,
  });
}
