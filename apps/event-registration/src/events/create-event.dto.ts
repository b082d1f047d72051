import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export const MAX_EVENT_CAPACITY = 100_000;
export const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export class CreateEventDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 5_000 })
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  description?: string;

  @ApiProperty({ example: 'seminar', pattern: CATEGORY_PATTERN.source })
  @Matches(CATEGORY_PATTERN, { message: 'category must be lower-case letters, digits and -, at most 40' })
  category!: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true, strictSeparator: true })
  startDatetime!: string;

  @ApiProperty({ format: 'date-time', description: 'After startDatetime.' })
  @IsISO8601({ strict: true, strictSeparator: true })
  endDatetime!: string;

  @ApiPropertyOptional({ example: 'Asia/Tokyo', default: 'UTC' })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  venue?: string;

  @ApiProperty({ minimum: 1, maximum: MAX_EVENT_CAPACITY })
  @IsInt()
  @Min(1)
  @Max(MAX_EVENT_CAPACITY)
  capacity!: number;
}
