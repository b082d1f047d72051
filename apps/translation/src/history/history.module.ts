import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { HistoryController } from './history.controller.js';
import { HistoryRetentionJob } from './history-retention.job.js';
import { HistoryService } from './history.service.js';
import { TranslationHistory } from './translation-history.js';

/**
 * Translation history (polyglot-a:C-1): the recorder the translator writes through, the session's read, and the
 * scheduled retention that archives and drops days past the hot window.
 */
@Module({
  imports: [SessionsModule],
  controllers: [HistoryController],
  providers: [HistoryService, TranslationHistory, HistoryRetentionJob],
  exports: [TranslationHistory],
})
export class HistoryModule {}
