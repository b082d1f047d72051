import { Inject, Injectable } from '@nestjs/common';
import { RedisRateLimiter, type RateLimitDecision } from '@remedy/http';
import { QUEUE_REDIS } from '@remedy/pooling';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';

/*
 * livestream:M1 — the design mentions no rate limiting at all. The usual first repair, and what this kata
 * plays, is an in-memory limiter in each API process (express-rate-limit's default store, a token bucket in a
 * map): behind a load balancer with N instances, a member gets N times the limit.
 *
 * PerInstanceRateLimiter takes RedisRateLimiter's place under the app's rate-limit interceptor: the same
 * limit, window and 429, counted in this instance's memory.
 */
@Injectable()
export class PerInstanceRateLimiter implements Pick<RedisRateLimiter, 'consume'> {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  consume(key: string): Promise<RateLimitDecision> {
    const now = Date.now();
    const { requests, windowSeconds } = this.config.rateLimit;
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve({
      allowed: window.count <= requests,
      remaining: Math.max(0, requests - window.count),
      retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)),
    });
  }
}

/* Close cousins, put back into the remediated service. */

/** The design as reviewed: no limit. */
@Injectable()
export class NoRateLimiter implements Pick<RedisRateLimiter, 'consume'> {
  consume(): Promise<RateLimitDecision> {
    return Promise.resolve({ allowed: true, remaining: Number.MAX_SAFE_INTEGER, retryAfterSeconds: 0 });
  }
}

/** The shared Redis count, but a refusal that does not say when to come back: clients retry at once. */
@Injectable()
export class NoRetryAfterRateLimiter implements Pick<RedisRateLimiter, 'consume'> {
  private readonly limiter: RedisRateLimiter;

  constructor(@Inject(QUEUE_REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RedisRateLimiter(redis, config.rateLimit, { keyPrefix: 'rate-limit:member:' });
  }

  async consume(key: string): Promise<RateLimitDecision> {
    return { ...(await this.limiter.consume(key)), retryAfterSeconds: 0 };
  }
}
