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
import { createQueueRedis, QUEUE_REDIS } from './queue-redis.js';

export const REDIS_CLIENTS = Symbol('REDIS_CLIENTS');
/** BullMQ `connection` options; use them with `prefix: config.redis.queuePrefix`. */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/**
 * BullMQ opens its own (blocking) connections from these: no retry limit or ready check, which would fail a
 * waiting worker during a reconnect, and no ioredis keyPrefix, which breaks BullMQ's own `prefix`.
 */
export function queueConnectionOptions(config: AppConfig): ConnectionOptions {
  return {
    url: config.redis.queueUrl,
    connectionName: `${config.serviceName}:queue`,
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
  };
}

/**
 * The app refuses to start when QUEUE_REDIS_URL points at a Redis that may evict, because an
 * evicted job or lockout is lost without a trace; the cache Redis may evict, the queue Redis must not.
 */
class QueueRedisPolicyCheck implements OnApplicationBootstrap {
  constructor(@Inject(QUEUE_REDIS) private readonly queueRedis: Redis) {}

  async onApplicationBootstrap(): Promise<void> {
    await assertQueueRedisDoesNotEvict(this.queueRedis, 'QUEUE_REDIS_URL');
  }
}

class RedisShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENTS) private readonly clients: RedisClients,
    @Inject(QUEUE_REDIS) private readonly queueRedis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.clients.close(), closeQueueRedis(this.queueRedis)]);
  }
}

/** A lazy client that never connected has nothing to QUIT; asking it to would open a connection first. */
async function closeQueueRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit();
  else client.disconnect();
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
            const clients = createRedisClients({
              url: config.redis.url,
              name: config.serviceName,
              keyPrefix: config.redis.keyPrefix,
            });
            // ioredis reconnects by itself; without a listener each 'error' would also be reported as unhandled.
            const logger = new Logger('Redis');
            for (const [use, client] of Object.entries({
              cache: clients.cache,
              publisher: clients.publisher,
              subscriber: clients.subscriber,
            })) {
              client.on('error', (error: Error) => logger.warn(`${use}: ${error.message}`));
            }
            return clients;
          },
        },
        { provide: QUEUE_CONNECTION, useValue: queueConnectionOptions(config) },
        {
          provide: QUEUE_REDIS,
          useFactory: (): Redis => {
            const client = createQueueRedis(config);
            const logger = new Logger('Redis');
            client.on('error', (error: Error) => logger.warn(`queue state: ${error.message}`));
            return client;
          },
        },
        QueueRedisPolicyCheck,
        RedisShutdown,
      ],
      exports: [REDIS_CLIENTS, QUEUE_CONNECTION, QUEUE_REDIS],
    };
  }
}
