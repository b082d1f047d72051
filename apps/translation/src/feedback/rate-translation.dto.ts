import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateBy } from 'class-validator';

const RATING_MESSAGE = 'rating must be an integer from 1 to 5';
export const MAX_FEEDBACK_COMMENT_LENGTH = 500;

/** A participant's rating of one translated message. */
export class RateTranslationDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 5,
    description: '1 unusable … 5 as good as a human’s',
  })
  @IsInt({ message: RATING_MESSAGE })
  @Min(1, { message: RATING_MESSAGE })
  @Max(5, { message: RATING_MESSAGE })
  rating!: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_FEEDBACK_COMMENT_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, MAX_FEEDBACK_COMMENT_LENGTH)
  // PostgreSQL text cannot hold NUL: refused here as a 400 rather than failing the INSERT.
  @ValidateBy({
    name: 'hasNoNul',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000'),
      defaultMessage: () => 'comment must not contain NUL characters',
    },
  })
  comment?: string;
}
