import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { JoinKeys } from './join-keys.js';
import { ParticipantJoins } from './participant-joins.js';
import { ParticipantsController } from './participants.controller.js';
import { ParticipantsService } from './participants.service.js';

@Module({
  imports: [SessionsModule],
  controllers: [ParticipantsController],
  providers: [ParticipantsService, ParticipantJoins, JoinKeys],
})
export class ParticipantsModule {}
