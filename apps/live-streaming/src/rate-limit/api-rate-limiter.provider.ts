import type { Provider } from '@nestjs/common';
import { RedisRateLimiter } from '@remedy/http';
import { QUEUE_REDIS } from '@remedy/pooling';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';

/*
 * livestream:M1: RATE_LIMIT_REQUESTS per member per RATE_LIMIT_WINDOW_SECONDS (100 a minute, the review's
 * figure), counted in the queue Redis: every instance shares the count, and a non-evicting Redis cannot drop
 * a counter and reopen a window early.
 */
export const apiRateLimiterProvider: Provider = {
  provide: RedisRateLimiter,
  inject: [QUEUE_REDIS, APP_CONFIG],
  useFactory: (redis: Redis, config: AppConfig) =>
    new RedisRateLimiter(redis, config.rateLimit, { keyPrefix: 'rate-limit:member:' }),
};
