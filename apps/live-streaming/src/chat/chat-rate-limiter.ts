import { Inject, Injectable } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Chat messages per user per fixed window, counted in Redis so the limit holds across instances and sockets
 * (a user with two tabs on two instances shares one budget). One INCR per message, with the expiry set on the
 * window's first message. An evicted counter only gives its user a fresh window early.
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
    const used = await this.redis.cache.incr(key);
    if (used === 1) await this.redis.cache.expire(key, this.windowSeconds);
    if (used <= this.limit) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window + 1) * this.windowSeconds - nowSeconds)),
    };
  }
}
