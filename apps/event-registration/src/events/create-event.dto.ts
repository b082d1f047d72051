import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIsoInstant, IsOmittable, type IsoInstantBounds } from '@remedy/http';
import { IsInt, IsString, IsTimeZone, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export const MAX_EVENT_CAPACITY = 100_000;
export const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

const TEN_YEARS_MS = 10 * 365.25 * 86_400_000;

/**
 * When an event may start or end. Before 2000 is a client's zero date (1970) or a typo, never a real event
 * of this platform; more than ten years ahead is a sentinel (9999) or a typo too: nobody plans a corporate
 * event a decade out, and such rows would sit outside every partition maintenance creates and every page.
 */
export const EVENT_INSTANT_BOUNDS: IsoInstantBounds = {
  notBefore: () => new Date('2000-01-01T00:00:00Z'),
  notAfter: () => new Date(Date.now() + TEN_YEARS_MS),
};

export class CreateEventDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  @ApiPropertyOptional({ maxLength: 5_000 })
  @IsOmittable()
  @IsString()
  @MaxLength(5_000)
  description?: string;

  @ApiProperty({ example: 'seminar', pattern: CATEGORY_PATTERN.source })
  @Matches(CATEGORY_PATTERN, { message: 'category must be lower-case letters, digits and -, at most 40' })
  category!: string;

  @ApiProperty({ format: 'date-time', description: 'With an offset; from 2000 to ten years ahead.' })
  @IsIsoInstant(EVENT_INSTANT_BOUNDS)
  startDatetime!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'After startDatetime; with an offset, at most ten years ahead.',
  })
  @IsIsoInstant(EVENT_INSTANT_BOUNDS)
  endDatetime!: string;

  @ApiPropertyOptional({ example: 'Asia/Tokyo', default: 'UTC' })
  @IsOmittable()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  venue?: string;

  @ApiProperty({ minimum: 1, maximum: MAX_EVENT_CAPACITY })
  @IsInt()
  @Min(1)
  @Max(MAX_EVENT_CAPACITY)
  capacity!: number;
}
