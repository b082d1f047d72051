import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** One answer: a 1–5 rating, a comment, or both. Stored as JSONB, so new questions need no migration. */
export class SurveyAnswerDto {
  @ApiProperty({ example: 'overall', pattern: '^[a-z0-9_-]{1,40}$' })
  @Matches(/^[a-z0-9_-]{1,40}$/, { message: 'questionId must be 1-40 lower-case letters, digits, _ or -' })
  questionId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5, description: 'Required unless a comment is given.' })
  @ValidateIf((answer: SurveyAnswerDto) => answer.comment === undefined || answer.rating !== undefined)
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  @ApiPropertyOptional({ maxLength: 2_000 })
  @ValidateIf((answer: SurveyAnswerDto) => answer.comment !== undefined)
  @IsString()
  @MaxLength(2_000)
  comment?: string;
}

export class SubmitSurveyDto {
  @ApiProperty({ type: [SurveyAnswerDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique((answer: SurveyAnswerDto) => answer.questionId, { message: 'each questionId may appear once' })
  @ValidateNested({ each: true })
  @Type(() => SurveyAnswerDto)
  answers!: SurveyAnswerDto[];
}
