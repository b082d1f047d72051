import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { IsOmittable } from '@remedy/http';
import { ListLimitDto } from '../common/pagination-limit.dto.js';
import { VITAL_METRICS, type VitalMetric } from './alert-rule.entity.js';

export class CreateAlertRuleDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'exactly one of patientId and wardId' })
  @ValidateIf((rule: CreateAlertRuleDto) => rule.wardId === undefined)
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'exactly one of patientId and wardId' })
  @ValidateIf((rule: CreateAlertRuleDto) => rule.patientId === undefined)
  @IsUUID()
  wardId?: string;

  @ApiProperty({ enum: VITAL_METRICS }) @IsIn(VITAL_METRICS) metric!: VitalMetric;

  @ApiPropertyOptional({ description: 'alert when the value is below; at least one of min and max' })
  @ValidateIf((rule: CreateAlertRuleDto) => rule.max === undefined || rule.min !== undefined)
  @IsNumber()
  min?: number;

  @ApiPropertyOptional({ description: 'alert when the value is above; at least one of min and max' })
  @ValidateIf((rule: CreateAlertRuleDto) => rule.min === undefined || rule.max !== undefined)
  @IsNumber()
  max?: number;

  @ApiPropertyOptional({ default: true }) @IsOmittable() @IsBoolean() enabled?: boolean;
}

export class UpdateAlertRuleDto {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsNumber() min?: number | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsNumber() max?: number | null;
  @ApiPropertyOptional({ description: 'false clears the rule’s open alerts; true does not reopen them' })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export class ListAlertRulesQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() patientId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() wardId?: string;
}
