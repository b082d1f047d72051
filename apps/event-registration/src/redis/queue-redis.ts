/**
 * The command client on the queue Redis (RedisClients.queueState), for state that must outlive any eviction: the cache Redis runs
 * allkeys-lru, so a "this mail was sent" mark kept there can vanish and a retried job would send again.
 * The queue Redis runs noeviction (BullMQ needs it anyway). Keys carry the cache's REDIS_KEY_PREFIX, which
 * keeps them apart from BullMQ's own `queuePrefix` keys.
 */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');
