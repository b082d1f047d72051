import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { createPageQueryDto } from '@remedy/pagination';
import { IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { VITAL_METRICS } from '../alerts/alert-rule.entity.js';
import type { OpenAlert } from './dashboard-views.js';
import { ACTIVE_PATIENT_PAGES, VITALS_PAGES, WARD_PATIENT_PAGES } from './dashboard-sorts.js';

export class WardPatientsQueryDto extends createPageQueryDto(WARD_PATIENT_PAGES) {}

export class ActivePatientsQueryDto extends createPageQueryDto(ACTIVE_PATIENT_PAGES) {
  @ApiProperty({ format: 'uuid', description: 'The ward whose active patients to list.' })
  @IsUUID('all', { message: 'wardId: must be a UUID' })
  wardId!: string;
}

export class VitalsRangeQueryDto extends createPageQueryDto(VITALS_PAGES) {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Inclusive start; defaults to one hour before `to`.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from: must be an ISO 8601 timestamp' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Exclusive end; defaults to now. At most 7 days after `from`.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to: must be an ISO 8601 timestamp' })
  to?: string;
}

/** The OpenAPI shape of an open alert (GET /wards/:id/open-alerts). */
export class OpenAlertDto implements OpenAlert {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ format: 'uuid', description: "The patient's current ward." }) wardId!: string;
  @ApiProperty({ enum: VITAL_METRICS }) metric!: string;
  @ApiProperty({ description: 'The reading that opened the episode.' }) value!: number;
  @ApiProperty({ description: "The rule's bound it crossed (above a max or below a min)." })
  threshold!: number;
  @ApiProperty({ format: 'date-time', description: 'When the reading that opened the episode was recorded.' })
  raisedAt!: string;
}
