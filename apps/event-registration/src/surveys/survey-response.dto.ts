import { ApiProperty } from '@nestjs/swagger';
import { createPageQueryDto, PageInfoDto, type KeysetSort } from '@remedy/pagination';
import { SurveyAnswerDto } from './submit-survey.dto.js';

/** Oldest first; served by survey_responses_event_submitted_idx (event_id, submitted_at, id). */
export const SURVEY_RESPONSE_SORT: KeysetSort = [
  { column: 'submitted_at', type: 'timestamptz', direction: 'ASC' },
  { column: 'id', type: 'uuid', direction: 'ASC' },
];
export const SURVEY_RESPONSE_PAGES = { sort: SURVEY_RESPONSE_SORT, defaultLimit: 50, maxLimit: 200 } as const;

export class SurveyResponsePageQueryDto extends createPageQueryDto(SURVEY_RESPONSE_PAGES) {}

export class SurveyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: [SurveyAnswerDto] }) answers!: SurveyAnswerDto[];
  @ApiProperty({ format: 'date-time' }) submittedAt!: Date;
}

export class SurveyResponsePageDto {
  @ApiProperty({ type: [SurveyResponseDto] }) data!: SurveyResponseDto[];
  @ApiProperty({ type: PageInfoDto }) pagination!: PageInfoDto;
}
