import { ApiProperty } from '@nestjs/swagger';
import type { PageInfo } from './keyset-page.js';

/** OpenAPI schema of `pagination` in a page envelope, for response DTOs of paginated endpoints. */
export class PageInfoDto implements PageInfo {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;

  @ApiProperty({
    description: 'Whether another page follows. There is no total count, by design.',
  })
  hasMore!: boolean;
}
