import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { assertQueueRedisDoesNotEvict } from '@remedy/outbox';
import { createRedisClients, type RedisClients } from '@remedy/pooling';
import type { ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import { QUEUE_REDIS } from './queue-redis.js';

export const REDIS_CLIENTS = Symbol('REDIS_CLIENTS');
/** BullMQ `connection` options; use them with `prefix: config.redis.queuePrefix`. */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/**
 * The app refuses to start when QUEUE_REDIS_URL points at a Redis that may evict, because an
 * evicted job, lockout or join idempotency key is lost without a trace; the cache Redis may evict, the queue Redis must not.
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
 * Redis clients split by use (global): `cache` carries REDIS_KEY_PREFIX; BullMQ gets QUEUE_CONNECTION
 * options plus `config.redis.queuePrefix` as its own prefix; QUEUE_REDIS holds job state that must not be
 * evicted.
 */
@Module({})
export class RedisModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RedisModule,
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
          // pooling's queue options are BullMQ-safe (no keyPrefix, unlimited retries); the cast bridges two ioredis typings.
          useFactory: (clients: RedisClients): ConnectionOptions =>
            clients.queueConnection as ConnectionOptions,
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
