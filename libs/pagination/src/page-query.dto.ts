import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsKeysetCursor } from './is-keyset-cursor.decorator.js';
import { MAX_CURSOR_LENGTH } from './keyset-cursor.js';
import type { KeysetSort } from './keyset-sort.js';
import { resolvePageSizeLimits, type PageSizeOptions } from './page-size.js';

/** Only plain decimal digits become a number: `Number()` would also read "0x10", " 5", "1e1", "+5" and "" (as 0). */
const DECIMAL_DIGITS = /^[0-9]+$/;

/**
 * The class-transformer step for a page size from a query string: decimal digits become a number, anything
 * else is left as it came, for `@IsInt` to refuse. Use it with `@Transform` on any query `limit`.
 */
export function pageSizeFromQuery({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : value;
}

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
    @Transform(pageSizeFromQuery)
    @IsInt({ message: limitMessage })
    @Min(1, { message: limitMessage })
    @Max(maxLimit, { message: limitMessage })
    limit: number = defaultLimit;
  }
  return PageQuery;
}

/** Page query with the default policy: 20 rows per page, at most 100. */
export class PageQueryDto extends createPageQueryDto() {}
