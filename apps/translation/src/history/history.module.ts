import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';
import { TranslationHistory } from './translation-history.js';

/** Translation history (polyglot-a:C-1): the recorder the translator writes through, and the session's read. */
@Module({
  imports: [SessionsModule],
  controllers: [HistoryController],
  providers: [HistoryService, TranslationHistory],
  exports: [TranslationHistory],
})
export class HistoryModule {}
