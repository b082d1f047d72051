import { ApiPropertyOptional } from '@nestjs/swagger';
import { createPageQueryDto } from '@remedy/pagination';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { CATEGORY_PATTERN } from './create-event.dto.js';
import { EVENT_LIST_PAGES } from './event-list.policy.js';
import { EVENT_STATUSES, type EventStatus } from './event-status.js';

export class EventPageQueryDto extends createPageQueryDto(EVENT_LIST_PAGES) {
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
