import { Module } from '@nestjs/common';
import { SessionLanguagesInvalidation } from '../participants/session-languages-invalidation.js';
import { SessionLanguagesModule } from '../participants/session-languages.module.js';
import { SessionEventsRelay } from './session-events-relay.js';

/** The worker's part of session events: the outbox relay and the consumers that act on them. */
@Module({
  imports: [SessionLanguagesModule],
  providers: [SessionEventsRelay, SessionLanguagesInvalidation],
})
export class SessionEventsWorkerModule {}
