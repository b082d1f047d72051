import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { RedisClients } from '@remedy/pooling';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { REDIS_CLIENTS } from '../redis/redis.module.js';
import { UsersModule } from '../users/users.module.js';
import { CHAT_HUB_FACTORY, createChatHub } from './chat-hub.js';
import { ChatParticipants } from './chat-participants.js';
import { ChatPresence } from './chat-presence.js';
import { ChatGateway } from './chat.gateway.js';
import { CHAT_CONNECTION_REGISTRY, RedisConnectionRegistry } from './connection-registry.js';
import { UserNoticesController } from './user-notices.controller.js';

/**
 * WebSocket /chat: first-message authentication, one room per session its participants join, and the registry
 * of which instance holds which user's sockets (on the queue Redis: an entry must not be evicted).
 */
@Module({
  imports: [UsersModule],
  controllers: [UserNoticesController],
  providers: [
    { provide: CHAT_HUB_FACTORY, useValue: createChatHub },
    {
      provide: CHAT_CONNECTION_REGISTRY,
      inject: [APP_CONFIG, REDIS_CLIENTS],
      useFactory: (config: AppConfig, redis: RedisClients) =>
        new RedisConnectionRegistry({
          redis: redis.queueState,
          instanceId: randomUUID(),
          ttlSeconds: config.chat.registryTtlSeconds,
        }),
    },
    ChatPresence,
    ChatGateway,
    ChatParticipants,
  ],
  exports: [ChatGateway],
})
export class ChatModule {}
