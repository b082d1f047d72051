import { Module } from '@nestjs/common';
import { DeviceDirectory } from './devices/device-directory.service.js';
import { DevicesController } from './devices/devices.controller.js';
import { PatientsController } from './patients/patients.controller.js';
import { WardsController } from './wards/wards.controller.js';

@Module({
  controllers: [WardsController, PatientsController, DevicesController],
  providers: [DeviceDirectory],
  exports: [DeviceDirectory],
})
export class RegistryModule {}
