import type { ConfigReader } from './config-reader.js';
import { REDIS_PROTOCOLS } from './url-protocols.js';

/**
 * Redis split by use: `url` serves caches and may evict (allkeys-lru in production); `queueUrl` serves BullMQ
 * and whatever must not vanish under memory pressure (`noeviction`). `queueUrl` defaults to `url` for a single
 * local Redis.
 */
export interface RedisSettings {
  url: string;
  queueUrl: string;
  keyPrefix: string;
  queuePrefix: string;
}

export function readRedisSettings(
  read: ConfigReader,
  defaults: { keyPrefix: string; queuePrefix: string },
): RedisSettings {
  const url = read.url('REDIS_URL', 'redis://127.0.0.1:6379', REDIS_PROTOCOLS);
  return {
    url,
    queueUrl: read.url('QUEUE_REDIS_URL', url, REDIS_PROTOCOLS),
    keyPrefix: read.text('REDIS_KEY_PREFIX', defaults.keyPrefix),
    queuePrefix: read.text('QUEUE_PREFIX', defaults.queuePrefix),
  };
}
