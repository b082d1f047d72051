/** RedisClients from @remedy/pooling (cache, publisher, subscriber, queue connection options). */
export const REDIS_CLIENTS = Symbol('REDIS_CLIENTS');
