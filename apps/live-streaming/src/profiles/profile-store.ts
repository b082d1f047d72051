import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ProfileDto } from './profile.dto.js';
import { ProfileEntity } from './profile.entity.js';
import type { UpdateProfileDto } from './update-profile.dto.js';

/** A profiles row as UPDATE … RETURNING * gives it. */
interface ProfileRow {
  user_id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
  bio: string;
  updated_at: Date;
}

/** The profiles table: one row per user, read by primary key. */
@Injectable()
export class ProfileStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async load(userId: string): Promise<ProfileDto> {
    const profile = await this.dataSource.getRepository(ProfileEntity).findOneBy({ userId });
    if (!profile) throw new NotFoundException(`profile ${userId} not found`);
    return toDto(profile);
  }

  async update(userId: string, changes: UpdateProfileDto): Promise<ProfileDto> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ProfileEntity)
      .set({ ...changes, updatedAt: () => 'now()' })
      .where('user_id = :userId', { userId })
      .returning('*')
      .execute();
    const row = (result.raw as ProfileRow[])[0];
    if (!row) throw new NotFoundException(`profile ${userId} not found`);
    return {
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      avatarUrl: row.avatar_url,
      bio: row.bio,
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

function toDto(profile: ProfileEntity): ProfileDto {
  return {
    userId: profile.userId,
    username: profile.username,
    displayName: profile.displayName,
    avatarUrl: profile.avatarUrl,
    bio: profile.bio,
    updatedAt: profile.updatedAt.toISOString(),
  };
}
