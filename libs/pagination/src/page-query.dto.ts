import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsKeysetCursor } from './is-keyset-cursor.decorator.js';
import { MAX_CURSOR_LENGTH } from './keyset-cursor.js';
import type { KeysetSort } from './keyset-sort.js';
import { resolvePageSizeLimits, type PageSizeOptions } from './page-size.js';

export interface PageQueryOptions extends PageSizeOptions {
  /** The list's sort, to validate cursor key types at the edge rather than in the service. */
  readonly sort?: KeysetSort;
}

/**
 * Query DTO for one keyset-paginated endpoint. Extend the returned class so Swagger gets a distinct
 * schema name: `class MessagePageQueryDto extends createPageQueryDto({ maxLimit: 50 }) {}`. Needs
 * `ValidationPipe({ transform: true })` so `limit` is converted from the query string and defaulted.
 */
export function createPageQueryDto(options: PageQueryOptions = {}) {
  const { defaultLimit, maxLimit } = resolvePageSizeLimits(options);
  const limitMessage = `limit: must be an integer from 1 to ${maxLimit}`;

  class PageQuery {
    @ApiPropertyOptional({
      description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
      maxLength: MAX_CURSOR_LENGTH,
    })
    @IsOptional()
    @IsKeysetCursor(options.sort)
    cursor?: string;

    @ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: maxLimit,
      default: defaultLimit,
      description: 'Page size.',
    })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: limitMessage })
    @Min(1, { message: limitMessage })
    @Max(maxLimit, { message: limitMessage })
    limit: number = defaultLimit;
  }
  return PageQuery;
}

/** Page query with the default policy: 20 rows per page, at most 100. */
export class PageQueryDto extends createPageQueryDto() {}
