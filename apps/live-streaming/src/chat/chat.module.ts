import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { StreamsModule } from '../streams/streams.module.js';
import { ViewersModule } from '../viewers/viewers.module.js';
import { ChatHistory } from './chat-history.js';
import { CHAT_HUB_FACTORY, createChatHub } from './chat-hub.js';
import { ChatLinePublisher } from './chat-line-publisher.js';
import { ChatSendMetrics } from './chat-send-metrics.js';
import { ChatGateway } from './chat.gateway.js';
import { LiveStreams } from './live-streams.js';
import { StreamEndNotice } from './stream-end-notice.js';

/** WebSocket /chat: rooms per live stream, recent history, per-user rate limit, viewer heartbeats, end notices. */
@Module({
  imports: [ProfilesModule, StreamsModule, ViewersModule],
  providers: [
    { provide: CHAT_HUB_FACTORY, useValue: createChatHub },
    ChatGateway,
    ChatHistory,
    ChatLinePublisher,
    ChatSendMetrics,
    LiveStreams,
    StreamEndNotice,
  ],
  exports: [ChatGateway],
})
export class ChatModule {}
