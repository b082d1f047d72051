import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { GLOSSARY_PAGES, GLOSSARIES_SORT } from './glossaries.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${GLOSSARY_PAGES.maxLimit}`;

export class GlossaryPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(GLOSSARIES_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: GLOSSARY_PAGES.maxLimit,
    default: GLOSSARY_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(GLOSSARY_PAGES.maxLimit, { message: LIMIT_MESSAGE })
  limit?: number;
}
