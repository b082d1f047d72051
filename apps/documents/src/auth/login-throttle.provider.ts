import type { Provider } from '@nestjs/common';
import { LoginThrottle } from '@remedy/auth';
import { QUEUE_REDIS } from '@remedy/pooling';
import type { Redis } from 'ioredis';

/*
 * Login limits with @remedy/auth's defaults: 5 failures per account, 50 per address, in 15 min,
 * lock for 15 min. On the queue Redis: it never evicts, so a lockout cannot vanish under memory pressure.
 */
export const loginThrottleProvider: Provider = {
  provide: LoginThrottle,
  inject: [QUEUE_REDIS],
  useFactory: (redis: Redis) => new LoginThrottle({ redis }),
};
