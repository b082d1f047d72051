import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createRedisClients, type RedisClients } from '@remedy/pooling';
import { APP_CONFIG, type AppConfig } from '../config.js';
import { CacheInvalidationBus } from './cache-invalidation.bus.js';
import { RedisKeys } from './redis-keys.js';
import { REDIS_CLIENTS } from './redis.tokens.js';

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENTS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): RedisClients =>
        createRedisClients({ url: config.redisUrl, name: 'medical-vitals' }),
    },
    {
      provide: RedisKeys,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): RedisKeys => new RedisKeys(config.redisKeyPrefix),
    },
    CacheInvalidationBus,
  ],
  exports: [REDIS_CLIENTS, RedisKeys, CacheInvalidationBus],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENTS) private readonly clients: RedisClients) {}

  async onApplicationShutdown(): Promise<void> {
    await this.clients.close();
  }
}
