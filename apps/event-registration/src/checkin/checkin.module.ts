import { Module } from '@nestjs/common';
import { RegistrationsModule } from '../registrations/registrations.module.js';
import { CheckinTokens } from './checkin-tokens.js';
import { CheckinController } from './checkin.controller.js';
import { CheckinService } from './checkin.service.js';

@Module({
  imports: [RegistrationsModule],
  controllers: [CheckinController],
  providers: [CheckinTokens, CheckinService],
})
export class CheckinModule {}
