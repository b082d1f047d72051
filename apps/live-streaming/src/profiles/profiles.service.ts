import { Injectable } from '@nestjs/common';
import { ProfileCache } from './profile.cache.js';
import { ProfileStore } from './profile-store.js';
import type { ProfileDto } from './profile.dto.js';
import type { UpdateProfileDto } from './update-profile.dto.js';

/** Profiles read through the cache (livestream:M4); an update commits, then drops the cached copy. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly cache: ProfileCache,
    private readonly store: ProfileStore,
  ) {}

  get(userId: string): Promise<ProfileDto> {
    return this.cache.read(userId, () => this.store.load(userId));
  }

  async update(userId: string, changes: UpdateProfileDto): Promise<ProfileDto> {
    const updated = await this.store.update(userId, changes);
    await this.cache.forget(userId);
    return updated;
  }
}
