import type { ProfileCache } from '../src/profiles/profile.cache.js';
import type { ProfileDto } from '../src/profiles/profile.dto.js';

/*
 * livestream:M4 — the design's profiles: "user profile data (username, avatar) is fetched repeatedly for
 * stream lists, chat messages, etc." with no caching strategy. Every read is a Postgres query.
 *
 * NoProfileCache takes ProfileCache's place, so GET /users/:id/profile, GET /me and PATCH /me/profile run
 * the real service with every read going to the database.
 */
export class NoProfileCache implements Pick<ProfileCache, 'read' | 'forget'> {
  read(_userId: string, load: () => Promise<ProfileDto>): Promise<ProfileDto> {
    return load();
  }

  forget(): Promise<void> {
    return Promise.resolve();
  }
}

/* Close cousins, put back into the remediated service. */

/** Cached, but an update never drops the entry: the old name is served until the TTL runs out. */
export class NeverForgettingProfileCache implements Pick<ProfileCache, 'read' | 'forget'> {
  private readonly entries = new Map<string, ProfileDto>();

  async read(userId: string, load: () => Promise<ProfileDto>): Promise<ProfileDto> {
    const cached = this.entries.get(userId);
    if (cached) return cached;
    const profile = await load();
    this.entries.set(userId, profile);
    return profile;
  }

  forget(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Cached in each instance's memory and dropped there on update: the instance that took the update serves the
 * new profile, every other instance keeps serving its old copy.
 */
export class PerInstanceProfileCache implements Pick<ProfileCache, 'read' | 'forget'> {
  private readonly entries = new Map<string, ProfileDto>();

  async read(userId: string, load: () => Promise<ProfileDto>): Promise<ProfileDto> {
    const cached = this.entries.get(userId);
    if (cached) return cached;
    const profile = await load();
    this.entries.set(userId, profile);
    return profile;
  }

  forget(userId: string): Promise<void> {
    this.entries.delete(userId);
    return Promise.resolve();
  }
}
