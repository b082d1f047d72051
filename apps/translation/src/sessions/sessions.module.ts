import { Module } from '@nestjs/common';
import { SessionCache } from './session-cache.js';
import { SessionEnding } from './session-ending.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';

@Module({
  controllers: [SessionsController],
  providers: [SessionsService, SessionCache, SessionEnding],
  exports: [SessionsService],
})
export class SessionsModule {}
