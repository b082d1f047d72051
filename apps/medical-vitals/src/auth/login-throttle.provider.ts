import type { Provider } from '@nestjs/common';
import { LoginThrottle } from '@remedy/auth';
import type { RedisClients } from '@remedy/pooling';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.tokens.js';

/*
 * Staff login limits with @remedy/auth's defaults: 5 failures per account, 50 per address, in 15 min, lock
 * for 15 min, shared by every instance. The service's one Redis is the non-evicting one in the compose set-up
 * (redis-queue), so a lockout cannot vanish under memory pressure.
 */
export function loginThrottleProvider(config: AppConfig): Provider {
  return {
    provide: LoginThrottle,
    inject: [REDIS_CLIENTS],
    useFactory: (redis: RedisClients) =>
      new LoginThrottle({ redis: redis.cache, keyPrefix: `${config.redisKeyPrefix}vitals:login-throttle:` }),
  };
}
