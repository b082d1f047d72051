/** The app's RedisClients (cache, publisher, subscriber, queue state), opened and closed by RedisClientsModule. */
export const REDIS_CLIENTS = Symbol('REDIS_CLIENTS');

/** BullMQ `connection` options for the queue Redis; use them with `prefix: config.redis.queuePrefix`. */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/**
 * The command client on the queue Redis (RedisClients.queueState), for state that must outlive any eviction: the
 * cache Redis may run allkeys-lru, so a login lockout, a "this mail was sent" mark or an idempotency key kept
 * there could vanish under memory pressure. The queue Redis runs noeviction (BullMQ needs it anyway). Keys carry
 * REDIS_KEY_PREFIX, apart from BullMQ's own `queuePrefix` keys.
 */
export const QUEUE_REDIS = Symbol('QUEUE_REDIS');
