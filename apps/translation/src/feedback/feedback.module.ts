import { Module } from '@nestjs/common';
import { FeedbackController } from './feedback.controller.js';
import { LinkedTranslationFeedback } from './linked-translation-feedback.js';
import { TranslationFeedback } from './translation-feedback.js';

/** Translation quality feedback (polyglot-a:MI-3): participants rate translations; organisers read quality. */
@Module({
  controllers: [FeedbackController],
  providers: [{ provide: TranslationFeedback, useClass: LinkedTranslationFeedback }],
})
export class FeedbackModule {}
