import { ApiProperty } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';

export const STREAM_STATUSES = ['live', 'ended'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];

/** The streamer's profile fields a stream card shows (joined in the stream's own query). */
export class StreamerDto {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'aiko_plays' })
  username!: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  displayName!: string;

  @ApiProperty({ type: String, nullable: true })
  avatarUrl!: string | null;
}

export class StreamDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Speedrun practice' })
  title!: string;

  @ApiProperty({ example: 'games' })
  category!: string;

  @ApiProperty({ enum: STREAM_STATUSES })
  status!: StreamStatus;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: string | null;

  @ApiProperty({ type: StreamerDto })
  streamer!: StreamerDto;
}

export class StreamPageDto {
  @ApiProperty({ type: [StreamDto] })
  data!: StreamDto[];

  @ApiProperty({ type: PageInfoDto })
  pagination!: PageInfoDto;
}
