import { Module } from '@nestjs/common';
import { ProfileCache } from './profile.cache.js';
import { ProfileStore } from './profile-store.js';
import { ProfilesController } from './profiles.controller.js';
import { ProfilesService } from './profiles.service.js';

@Module({
  controllers: [ProfilesController],
  providers: [ProfileCache, ProfileStore, ProfilesService],
  exports: [ProfilesService],
})
export class ProfilesModule {}
