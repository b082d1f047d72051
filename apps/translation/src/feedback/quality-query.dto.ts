import { ApiProperty } from '@nestjs/swagger';
import { IsIsoInstant } from '@remedy/http';

/** The ratings' time range, [from, to): at most MAX_QUALITY_RANGE_DAYS (checked with both values). */
export class QualityQueryDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-01T00:00:00Z',
    description: 'first rating time included',
  })
  @IsIsoInstant()
  from!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-12-01T00:00:00Z',
    description: 'first rating time excluded',
  })
  @IsIsoInstant()
  to!: string;
}

/** A year and a day: the longest range one aggregate reads (a year of ratings over one index range). */
export const MAX_QUALITY_RANGE_DAYS = 366;
