import { Module } from '@nestjs/common';
import { SessionLanguages } from './session-languages.js';

/** The cached participant-language map, one instance per process for the delivery worker and its invalidation. */
@Module({
  providers: [SessionLanguages],
  exports: [SessionLanguages],
})
export class SessionLanguagesModule {}
