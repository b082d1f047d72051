import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { DeviceRateLimiter } from './device-rate-limiter.service.js';
import { IngestGateway } from './ingest.gateway.js';

@Module({
  imports: [RegistryModule, StorageModule],
  providers: [IngestGateway, DeviceRateLimiter],
})
export class IngestModule {}
