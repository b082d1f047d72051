import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

/** One user in a follow list, with the profile fields a list shows (joined in the same query). */
export class FollowEntryDto {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ type: String, nullable: true })
  avatarUrl!: string | null;

  @ApiProperty({ format: 'date-time' })
  followedAt!: string;
}

export class FollowPageDto {
  @ApiProperty({ type: [FollowEntryDto] })
  data!: FollowEntryDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
