import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { VERSION_PAGES, VERSIONS_SORT } from './document-versions.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${VERSION_PAGES.maxLimit}`;

export class DocumentVersionPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(VERSIONS_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: VERSION_PAGES.maxLimit,
    default: VERSION_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(VERSION_PAGES.maxLimit, { message: LIMIT_MESSAGE })
  limit?: number;
}
