import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

export const REPORT_PERIODS = { daily: 86_400_000, weekly: 7 * 86_400_000 } as const;
export type ReportPeriod = keyof typeof REPORT_PERIODS;

export class ReportQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(REPORT_PERIODS), default: 'daily' })
  @IsOptional()
  @IsIn(Object.keys(REPORT_PERIODS), { message: 'period: must be "daily" or "weekly"' })
  period: ReportPeriod = 'daily';

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the period (exclusive); defaults to now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'end: must be an ISO 8601 timestamp' })
  end?: string;
}
