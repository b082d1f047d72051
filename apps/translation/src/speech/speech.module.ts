import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../app-config.module.js';
import { ChatModule } from '../chat/chat.module.js';
import type { AppConfig } from '../config.js';
import { TranslationModule } from '../translation/translation.module.js';
import { AudioChunker, OverlappingAudioChunker } from './audio-chunker.js';
import { FinalSegmentsOnly, SegmentsToTranslate } from './segments-to-translate.js';
import { SpeechPipeline } from './speech-pipeline.js';
import { SpeechSessions } from './speech-sessions.js';
import { SpeechToTextClient } from './speech-to-text-client.js';
import { SpeechGateway } from './speech.gateway.js';

/** WebSocket /speech and the pipeline behind it: chunks → speech-to-text → final segments → captions on /chat. */
@Module({
  imports: [ChatModule, TranslationModule],
  providers: [
    {
      provide: AudioChunker,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new OverlappingAudioChunker(config.speech.chunkMs, config.speech.overlapMs),
    },
    { provide: SegmentsToTranslate, useClass: FinalSegmentsOnly },
    SpeechToTextClient,
    SpeechSessions,
    SpeechPipeline,
    SpeechGateway,
  ],
})
export class SpeechModule {}
