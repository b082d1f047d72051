/**
 * The command client on the queue Redis (RedisClients.queueState), for state that must outlive any eviction: the cache Redis may run
 * allkeys-lru, so a login lockout kept there could vanish under memory pressure. The queue Redis runs
 * noeviction (BullMQ needs it anyway). Keys carry REDIS_KEY_PREFIX, apart from BullMQ's own `queuePrefix` keys.
 */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');
