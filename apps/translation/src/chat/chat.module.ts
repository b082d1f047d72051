import { randomUUID } from 'node:crypto';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { QUEUE_CONNECTION, REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { Queue, type ConnectionOptions } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { TranslationModule } from '../translation/translation.module.js';
import { UsersModule } from '../users/users.module.js';
import { CHAT_HUB_FACTORY, createChatHub } from './chat-hub.js';
import { ChatMetrics } from './chat-metrics.js';
import { ChatParticipants } from './chat-participants.js';
import { ChatPresence } from './chat-presence.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatMessageDispatcher } from './messages/chat-message-dispatcher.js';
import { CHAT_MESSAGE_QUEUE, CHAT_MESSAGES_QUEUE_NAME } from './messages/chat-message-queue.js';
import { QueueingChatMessageDispatcher } from './messages/queueing-chat-message-dispatcher.js';
import { CHAT_CONNECTION_REGISTRY, RedisConnectionRegistry } from './connection-registry.js';
import { UserNoticesController } from './user-notices.controller.js';

class ChatQueueShutdown implements OnApplicationShutdown {
  constructor(@Inject(CHAT_MESSAGE_QUEUE) private readonly queue: Queue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * WebSocket /chat: first-message authentication, a room per session and one per session language, messages stored
 * and queued for the worker (`npm run worker`), which translates them, and the registry of which instance holds
 * which user's sockets (on the queue Redis: an entry must not be evicted). TranslationModule is imported for the
 * dispatcher's seam: a proof plugs in a dispatcher that translates in the handler.
 */
@Module({
  imports: [TranslationModule, UsersModule],
  controllers: [UserNoticesController],
  providers: [
    { provide: CHAT_HUB_FACTORY, useValue: createChatHub },
    {
      provide: CHAT_MESSAGE_QUEUE,
      inject: [APP_CONFIG, QUEUE_CONNECTION],
      useFactory: (config: AppConfig, connection: ConnectionOptions) =>
        new Queue(CHAT_MESSAGES_QUEUE_NAME, { connection, prefix: config.redis.queuePrefix }),
    },
    { provide: ChatMessageDispatcher, useClass: QueueingChatMessageDispatcher },
    ChatQueueShutdown,
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
    ChatMetrics,
  ],
  exports: [ChatGateway],
})
export class ChatModule {}
