import { Inject, Injectable } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';
import type { ChatMessage } from './chat-message.js';

/**
 * A stream's recent messages: a capped Redis list (newest first) with a TTL refreshed by each message, so a
 * quiet room's history expires and a busy room's stays at `historyLength` entries (livestream:S2 asks chat keys
 * to carry TTLs). A viewer who joins gets it at once.
 */
@Injectable()
export class ChatHistory {
  private readonly length: number;
  private readonly ttlSeconds: number;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.length = config.chat.historyLength;
    this.ttlSeconds = config.chat.historyTtlSeconds;
  }

  async append(message: ChatMessage): Promise<void> {
    const key = historyKey(message.streamId);
    await this.redis.cache
      .multi()
      .lpush(key, JSON.stringify(message))
      .ltrim(key, 0, this.length - 1)
      .expire(key, this.ttlSeconds)
      .exec();
  }

  /** Oldest first, as a client shows them. */
  async recent(streamId: string): Promise<ChatMessage[]> {
    const raw = await this.redis.cache.lrange(historyKey(streamId), 0, this.length - 1);
    return raw.reverse().map((entry) => JSON.parse(entry) as ChatMessage);
  }
}

function historyKey(streamId: string): string {
  return `chat:history:${streamId}`;
}
