import { Body, Controller, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { AccessScope } from '../auth/access-scope.service.js';
import { CurrentStaff } from '../auth/current-staff.decorator.js';
import { AuditLog } from '../audit/audit-log.service.js';
import type { StaffMember } from './staff-member.js';
import { CreateStaffDto, StaffDto } from './staff.dto.js';
import { StaffService } from './staff.service.js';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Post()
  @Roles('hospital_admin')
  @ApiOperation({ summary: "A staff account in the admin's hospital, assigned to wards of that hospital" })
  @ApiCreatedResponse({ type: StaffDto })
  async create(@CurrentStaff() admin: StaffMember, @Body() dto: CreateStaffDto): Promise<StaffDto> {
    for (const wardId of dto.wardIds) await this.scope.assertWard(admin, wardId);
    const created = await this.staff.create({ ...dto, hospitalId: admin.hospitalId });
    await this.audit.record(admin, {
      action: 'staff.create',
      resourceType: 'staff',
      resourceId: created.id,
      detail: { role: created.role, wardIds: created.wardIds },
    });
    return created;
  }
}
