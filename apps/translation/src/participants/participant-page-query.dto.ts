import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsKeysetCursor, MAX_CURSOR_LENGTH, pageSizeFromQuery } from '@remedy/pagination';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PARTICIPANT_PAGES, PARTICIPANTS_SORT } from './participants.policy.js';

const LIMIT_MESSAGE = `limit must be an integer from 1 to ${PARTICIPANT_PAGES.maxLimit}`;

export class ParticipantPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque cursor: `pagination.nextCursor` of the previous page. Omit for the first page.',
    maxLength: MAX_CURSOR_LENGTH,
  })
  @IsOptional()
  @IsKeysetCursor(PARTICIPANTS_SORT)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PARTICIPANT_PAGES.maxLimit,
    default: PARTICIPANT_PAGES.defaultLimit,
    description: 'Page size.',
  })
  @IsOptional()
  @Transform(pageSizeFromQuery)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(PARTICIPANT_PAGES.maxLimit, { message: LIMIT_MESSAGE })
  limit?: number;
}
