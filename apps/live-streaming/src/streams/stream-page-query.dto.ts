import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { STREAM_LIST_PAGES, STREAMS_SORT } from './stream-list.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${STREAM_LIST_PAGES.maxLimit}`;

/** Query of the stream lists (live, a streamer's past streams): an opaque cursor and a bounded page size. */
export class StreamPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(STREAMS_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: STREAM_LIST_PAGES.maxLimit,
    default: STREAM_LIST_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(STREAM_LIST_PAGES.maxLimit, { message: LIMIT_MESSAGE })
  limit?: number;
}

export interface StreamPageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}
