import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module.js';
import { CancelRegistrationService } from './cancel-registration.service.js';
import { MyRegistrationsService } from './my-registrations.service.js';
import { primaryPoolProvider } from './primary-pool.provider.js';
import { RegisterService } from './register.service.js';
import { RegistrationChanges } from './registration-changes.js';
import { RegistrationsController } from './registrations.controller.js';
import { RegistrationTransitions } from './registration-transitions.js';

@Module({
  imports: [StatsModule],
  controllers: [RegistrationsController],
  providers: [
    primaryPoolProvider,
    RegistrationChanges,
    RegistrationTransitions,
    RegisterService,
    CancelRegistrationService,
    MyRegistrationsService,
  ],
  exports: [primaryPoolProvider, RegistrationChanges, RegistrationTransitions],
})
export class RegistrationsModule {}
