import { ApiPropertyOptional } from '@nestjs/swagger';
import { createPageQueryDto } from '@remedy/pagination';
import { IsOptional, IsUUID } from 'class-validator';
import { AUDIT_PAGES } from './audit-log.service.js';

export class AuditLogQueryDto extends createPageQueryDto(AUDIT_PAGES) {
  @ApiPropertyOptional({ format: 'uuid', description: 'only entries about this patient' })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only entries by this staff member' })
  @IsOptional()
  @IsUUID()
  staffId?: string;
}
