import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type ConnectionOptions } from 'bullmq';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { QUEUE_CONNECTION } from '../redis/redis.module.js';
import { TranslationModule } from '../translation/translation.module.js';
import { CHAT_HUB_FACTORY, createChatHub } from './chat-hub.js';
import { ChatParticipants } from './chat-participants.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatMessageDispatcher } from './messages/chat-message-dispatcher.js';
import { CHAT_MESSAGE_QUEUE, CHAT_MESSAGES_QUEUE_NAME } from './messages/chat-message-queue.js';
import { QueueingChatMessageDispatcher } from './messages/queueing-chat-message-dispatcher.js';

class ChatQueueShutdown implements OnApplicationShutdown {
  constructor(@Inject(CHAT_MESSAGE_QUEUE) private readonly queue: Queue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * WebSocket /chat: first-message authentication, a room per session and one per session language, and messages
 * stored and queued for the worker (`npm run worker`), which translates them. TranslationModule is imported for
 * the dispatcher's seam: a proof plugs in a dispatcher that translates in the handler.
 */
@Module({
  imports: [TranslationModule],
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
    ChatGateway,
    ChatParticipants,
  ],
  exports: [ChatGateway],
})
export class ChatModule {}
