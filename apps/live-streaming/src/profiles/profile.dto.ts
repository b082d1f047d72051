import { ApiProperty } from '@nestjs/swagger';

/** A profile as clients see it, and as the cache keeps it (JSON, `updatedAt` as an ISO instant). */
export class ProfileDto {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'aiko_plays' })
  username!: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  displayName!: string;

  @ApiProperty({ type: String, nullable: true, example: 'https://cdn.example.com/avatars/aiko.png' })
  avatarUrl!: string | null;

  @ApiProperty()
  bio!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
