import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import type { KeysetPage } from '@remedy/pagination';
import { CurrentStaff } from '../auth/current-staff.decorator.js';
import type { StaffMember } from '../staff/staff-member.js';
import { AuditLogQueryDto } from './audit-log.dto.js';
import { AuditLog, type AuditRecord } from './audit-log.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-log')
export class AuditLogController {
  constructor(@Inject(AuditLog) private readonly audit: AuditLog) {}

  @Get()
  @Roles('hospital_admin')
  @ApiOperation({
    summary: "Who read which patient's record and who changed what, newest first (keyset pages).",
  })
  list(
    @CurrentStaff() staff: StaffMember,
    @Query() query: AuditLogQueryDto,
  ): Promise<KeysetPage<AuditRecord>> {
    return this.audit.page(
      staff.hospitalId,
      {
        ...(query.patientId === undefined ? {} : { patientId: query.patientId }),
        ...(query.staffId === undefined ? {} : { staffId: query.staffId }),
      },
      query,
    );
  }
}
