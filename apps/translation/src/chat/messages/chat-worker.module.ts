import { Module } from '@nestjs/common';
import { SessionLanguagesModule } from '../../participants/session-languages.module.js';
import { TranslationModule } from '../../translation/translation.module.js';
import { ChatMessageDelivery } from './chat-message-delivery.js';
import { ChatMessageWorker } from './chat-message-worker.js';
import { ChatRedeliverySweep } from './chat-redelivery-sweep.js';

/** The worker side of chat messages: the queue consumer that translates and delivers, and the sweep. */
@Module({
  imports: [TranslationModule, SessionLanguagesModule],
  providers: [ChatMessageDelivery, ChatMessageWorker, ChatRedeliverySweep],
  exports: [ChatMessageDelivery, ChatRedeliverySweep],
})
export class ChatWorkerModule {}
