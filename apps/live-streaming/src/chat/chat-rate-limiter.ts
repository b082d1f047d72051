import { Inject, Injectable } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Chat messages per user per fixed window, counted in Redis so the limit holds across instances and sockets
 * (a user with two tabs on two instances shares one budget). One INCR and EXPIRE per message, in one
 * transaction. An evicted counter only gives its user a fresh window early.
 */
@Injectable()
export class ChatRateLimiter {
  private readonly limit: number;
  private readonly windowSeconds: number;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limit = config.chat.messagesPerWindow;
    this.windowSeconds = config.chat.rateWindowSeconds;
  }

  async take(userId: string): Promise<RateDecision> {
    const nowSeconds = Date.now() / 1000;
    const window = Math.floor(nowSeconds / this.windowSeconds);
    const key = `chat:rate:${userId}:${window}`;
    // One round trip; the expiry is set with the count, so no window's key can outlive it.
    const results = await this.redis.cache.multi().incr(key).expire(key, this.windowSeconds).exec();
    const used = Number(results?.[0]?.[1] ?? Number.POSITIVE_INFINITY);
    if (used <= this.limit) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window + 1) * this.windowSeconds - nowSeconds)),
    };
  }
}
