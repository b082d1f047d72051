import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { NOTIFICATION_PAGES, NOTIFICATIONS_SORT } from './notification-list.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${NOTIFICATION_PAGES.maxLimit}`;

/** Query of GET /notifications: an opaque cursor and a bounded page size. */
export class NotificationPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(NOTIFICATIONS_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: NOTIFICATION_PAGES.maxLimit,
    default: NOTIFICATION_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(NOTIFICATION_PAGES.maxLimit, { message: LIMIT_MESSAGE })
  limit?: number;
}
