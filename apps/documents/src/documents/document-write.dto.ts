import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 100_000;

/**
 * The body of a create and of an update: a title of 1 to 200 characters and an optional plain-text body of at
 * most 100,000 characters (an update without `body` keeps the current one). Both are indexed for search.
 */
export class DocumentWriteDto {
  @ApiProperty({ example: 'Interpreting brief, keynote', minLength: 1, maxLength: MAX_TITLE_LENGTH })
  @IsString()
  @Length(1, MAX_TITLE_LENGTH)
  title!: string;

  @ApiPropertyOptional({ example: 'Glossary for the keynote: …', maxLength: MAX_BODY_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_BODY_LENGTH)
  body?: string;
}
