import { Module } from '@nestjs/common';
import { CHAT_HUB_FACTORY, createChatHub } from './chat-hub.js';
import { ChatMetrics } from './chat-metrics.js';
import { ChatParticipants } from './chat-participants.js';
import { ChatGateway } from './chat.gateway.js';

/** WebSocket /chat: first-message authentication, one room per session its participants join. */
@Module({
  providers: [
    { provide: CHAT_HUB_FACTORY, useValue: createChatHub },
    ChatGateway,
    ChatParticipants,
    ChatMetrics,
  ],
  exports: [ChatGateway],
})
export class ChatModule {}
