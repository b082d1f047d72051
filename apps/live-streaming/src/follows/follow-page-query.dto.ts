import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { FOLLOW_LIST_PAGES, FOLLOWERS_SORT } from './follow-list.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${FOLLOW_LIST_PAGES.maxLimit}`;

/**
 * Query of both follow lists (their sorts have the same key types, so one cursor check serves both). The
 * page size is checked for shape here; its default and maximum are applied by FollowListQueries
 * (FOLLOW_LIST_PAGE_SIZES), with the same 400 on a too-large limit.
 */
export class FollowPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(FOLLOWERS_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: FOLLOW_LIST_PAGES.maxLimit,
    default: FOLLOW_LIST_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  limit?: number;
}
