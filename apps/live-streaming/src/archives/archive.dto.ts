import { ApiProperty } from '@nestjs/swagger';
import type { ArchiveStatus } from './archive-records.js';

export const ARCHIVE_STATUSES: readonly ArchiveStatus[] = ['pending', 'transcoding', 'ready', 'failed'];

export class RenditionDto {
  @ApiProperty({ example: '720p' })
  name!: string;

  @ApiProperty({ description: "The rendition's media playlist (send the access token)" })
  playlistUrl!: string;
}

export class ArchiveDto {
  @ApiProperty({ format: 'uuid' })
  streamId!: string;

  @ApiProperty({
    enum: ARCHIVE_STATUSES,
    description:
      'pending: queued or waiting to retry; transcoding: running now; ready: playable; failed: every attempt failed',
  })
  status!: ArchiveStatus;

  @ApiProperty({ description: 'Transcoding runs started so far (retries included)' })
  attempts!: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The HLS master playlist once ready (send the access token), else null',
  })
  masterPlaylistUrl!: string | null;

  @ApiProperty({ type: [RenditionDto], description: 'Empty until ready' })
  renditions!: RenditionDto[];
}
