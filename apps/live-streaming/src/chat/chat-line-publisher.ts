import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { ROOM_MESSAGE_WIRE_LUA, wallClockMs } from '@remedy/realtime';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { chatHistoryKey } from './chat-history.js';
import type { ChatMessage } from './chat-message.js';

export type PublishOutcome = { published: true } | { published: false; retryAfterSeconds: number };

/**
 * KEYS: the sender's counter for this window, the stream's history list. ARGV: the limit, the window in seconds, the
 * history's length and TTL, the room's channel, the publisher's wallClockMs(), the line as JSON (a ChatMessage; every
 * viewer gets it with `"type":"message"` in front). Returns 1 published, 0 over the limit (neither stored nor
 * published).
 */
const SEND_LINE = `${ROOM_MESSAGE_WIRE_LUA}
local used = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
if used > tonumber(ARGV[1]) then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[7])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], room_message_wire('{"type":"message",' .. string.sub(ARGV[7], 2), ARGV[6]))
return 1
`;

type RedisWithSendLine = Redis & {
  chatSendLine(...keysAndArgs: Array<string | number>): Promise<number>;
};

/**
 * A chat line's whole way into Redis as one script: the sender's rate limit (per user per fixed window, across
 * instances and sockets: a user with two tabs on two instances shares one budget), the stream's recent history (a
 * capped list whose TTL each line refreshes, livestream:S2) and the PUBLISH to the stream's room. The line's delivery
 * waits for no reply: on an instance busy fanning out a large room each reply waits its turn on the event loop, and a
 * line sent as round trips in a row (the limit, then the history, then the PUBLISH) carried each of those waits into
 * every viewer's delivery (ADR 0100). A refused line is neither stored nor published; an evicted counter only gives
 * its user a fresh window early. The keys are one user's and one stream's, so the script needs them on one Redis (the
 * cache and chat Redis is one primary: livestream:S2).
 */
@Injectable()
export class ChatLinePublisher implements OnModuleInit {
  private readonly redis: RedisWithSendLine;
  private readonly limit: number;
  private readonly windowSeconds: number;
  private readonly historyLength: number;
  private readonly historyTtlSeconds: number;

  constructor(@Inject(REDIS_CLIENTS) redis: RedisClients, @Inject(APP_CONFIG) config: AppConfig) {
    this.redis = redis.cache as RedisWithSendLine;
    this.limit = config.chat.messagesPerWindow;
    this.windowSeconds = config.chat.rateWindowSeconds;
    this.historyLength = config.chat.historyLength;
    this.historyTtlSeconds = config.chat.historyTtlSeconds;
  }

  onModuleInit(): void {
    if (typeof (this.redis as Partial<RedisWithSendLine>).chatSendLine !== 'function')
      this.redis.defineCommand('chatSendLine', { numberOfKeys: 2, lua: SEND_LINE });
  }

  /** `channel`: the stream room's, as the hub has it (`hub.channelOf`). */
  async publish(message: ChatMessage, channel: string): Promise<PublishOutcome> {
    const nowSeconds = Date.now() / 1000;
    const window = Math.floor(nowSeconds / this.windowSeconds);
    const published = await this.redis.chatSendLine(
      `chat:rate:${message.userId}:${window}`,
      chatHistoryKey(message.streamId),
      this.limit,
      this.windowSeconds,
      this.historyLength,
      this.historyTtlSeconds,
      channel,
      String(wallClockMs()),
      JSON.stringify(message),
    );
    if (published === 1) return { published: true };
    return {
      published: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window + 1) * this.windowSeconds - nowSeconds)),
    };
  }
}
