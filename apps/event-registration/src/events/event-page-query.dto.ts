import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Min } from 'class-validator';
import { CATEGORY_PATTERN } from './create-event.dto.js';
import { EVENT_LIST_PAGES, EVENT_LIST_SORT } from './event-list.policy.js';
import { EVENT_STATUSES, type EventStatus } from './event-status.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${EVENT_LIST_PAGES.maxLimit}`;

/**
 * GET /events query. The page size is checked for shape here; its default and maximum are applied by
 * EventQueriesService (EVENT_LIST_PAGE_SIZES), one place for every caller, with the same 400 on a too-large limit.
 */
export class EventPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(EVENT_LIST_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: EVENT_LIST_PAGES.maxLimit,
    default: EVENT_LIST_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({ example: 'seminar' })
  @IsOptional()
  @Matches(CATEGORY_PATTERN, { message: 'category must be lower-case letters, digits and -, at most 40' })
  category?: string;

  @ApiPropertyOptional({ enum: EVENT_STATUSES, default: 'published' })
  @IsOptional()
  @IsIn(EVENT_STATUSES)
  status: EventStatus = 'published';

  @ApiPropertyOptional({ format: 'date-time', description: 'Events starting at or after this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events starting before this instant.' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}
