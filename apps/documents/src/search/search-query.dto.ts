import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_QUERY_LENGTH, SEARCH_PAGES, SEARCH_SORT } from './search.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${SEARCH_PAGES.maxLimit}`;

export class SearchQueryDto {
  @ApiProperty({
    description:
      'Words to find (web-search syntax: "quoted phrase", -excluded, or); titles also match fuzzily.',
    minLength: 1,
    maxLength: MAX_QUERY_LENGTH,
    example: 'keynote glossary',
  })
  @IsString()
  @Length(1, MAX_QUERY_LENGTH)
  // A query of only punctuation or spaces matches nothing and would cost a scan: refused as input.
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain a letter or a digit' })
  q!: string;

  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page of the same query.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(SEARCH_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: SEARCH_PAGES.maxLimit,
    default: SEARCH_PAGES.defaultLimit,
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(SEARCH_PAGES.maxLimit, { message: LIMIT_MESSAGE })
  limit?: number;
}
