import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import type { ChatMessage } from './chat-message.js';

/**
 * A stream's recent messages: a capped Redis list (newest first) with a TTL refreshed by each message, so a
 * quiet room's history expires and a busy room's stays at `historyLength` entries (livestream:S2 asks chat keys
 * to carry TTLs). A viewer who joins gets it at once. Lines are appended by ChatLinePublisher, with their PUBLISH.
 */
@Injectable()
export class ChatHistory {
  private readonly length: number;

  constructor(
    @Inject(REDIS_CLIENTS) private readonly redis: RedisClients,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.length = config.chat.historyLength;
  }

  /** Oldest first, as a client shows them. */
  async recent(streamId: string): Promise<ChatMessage[]> {
    const raw = await this.redis.cache.lrange(chatHistoryKey(streamId), 0, this.length - 1);
    return raw.reverse().map((entry) => JSON.parse(entry) as ChatMessage);
  }
}

/** The stream's list, under the cache client's key prefix. */
export function chatHistoryKey(streamId: string): string {
  return `chat:history:${streamId}`;
}
