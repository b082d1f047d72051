import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import { assertQueueRedisDoesNotEvict } from '../redis/assert-queue-redis-does-not-evict.js';
import { createRedisClients, type RedisClients } from '../redis/create-redis-clients.js';
import { QUEUE_CONNECTION, QUEUE_REDIS, REDIS_CLIENTS } from './redis-clients.tokens.js';

/** The part of a service's config this module reads (the shape of libs/config's ServiceSettings). */
export interface RedisClientsConfig {
  serviceName: string;
  redis: { url: string; queueUrl: string; keyPrefix: string };
}

/**
 * The app refuses to start when QUEUE_REDIS_URL points at a Redis that may evict, because an evicted job,
 * lockout or idempotency key is lost without a trace; the cache Redis may evict, the queue Redis must not.
 */
class QueueRedisPolicyCheck implements OnApplicationBootstrap {
  constructor(@Inject(QUEUE_REDIS) private readonly queueRedis: Redis) {}

  async onApplicationBootstrap(): Promise<void> {
    await assertQueueRedisDoesNotEvict(this.queueRedis, 'QUEUE_REDIS_URL');
  }
}

class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENTS) private readonly clients: RedisClients) {}

  async onApplicationShutdown(): Promise<void> {
    await this.clients.close();
  }
}

/**
 * Redis clients split by use (global): `cache` carries REDIS_KEY_PREFIX; BullMQ gets QUEUE_CONNECTION options
 * plus `config.redis.queuePrefix` as its own prefix; QUEUE_REDIS holds state that must not be evicted. The
 * clients are closed when the app shuts down.
 */
@Module({})
export class RedisClientsModule {
  static forRoot(config: RedisClientsConfig): DynamicModule {
    return {
      module: RedisClientsModule,
      global: true,
      providers: [
        {
          provide: REDIS_CLIENTS,
          useFactory: (): RedisClients => {
            const logger = new Logger('Redis');
            return createRedisClients({
              url: config.redis.url,
              queueUrl: config.redis.queueUrl,
              name: config.serviceName,
              keyPrefix: config.redis.keyPrefix,
              onError: (use, error) => logger.warn(`${use}: ${error.message}`),
            });
          },
        },
        {
          provide: QUEUE_CONNECTION,
          inject: [REDIS_CLIENTS],
          useFactory: (clients: RedisClients): RedisOptions => clients.queueConnection,
        },
        {
          provide: QUEUE_REDIS,
          inject: [REDIS_CLIENTS],
          useFactory: (clients: RedisClients): Redis => clients.queueState,
        },
        QueueRedisPolicyCheck,
        RedisShutdown,
      ],
      exports: [REDIS_CLIENTS, QUEUE_CONNECTION, QUEUE_REDIS],
    };
  }
}
