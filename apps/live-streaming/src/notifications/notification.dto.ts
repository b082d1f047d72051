import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

/** One in-app notice: someone the member follows went live. */
export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['stream-started'] })
  kind!: 'stream-started';

  @ApiProperty({ format: 'uuid' })
  streamId!: string;

  @ApiProperty({ format: 'uuid' })
  streamerId!: string;

  @ApiProperty()
  streamerName!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: ['live', 'ended'] })
  streamStatus!: 'live' | 'ended';

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt!: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] })
  data!: NotificationDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
