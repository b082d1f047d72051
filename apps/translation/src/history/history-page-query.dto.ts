import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { HISTORY_PAGES, HISTORY_SORT } from './history.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${HISTORY_PAGES.maxLimit}`;

export class HistoryPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(HISTORY_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: HISTORY_PAGES.maxLimit,
    default: HISTORY_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(HISTORY_PAGES.maxLimit, { message: LIMIT_MESSAGE })
  limit?: number;
}
