import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { AuditLog } from '../../audit/audit-log.service.js';
import { AccessScope } from '../../auth/access-scope.service.js';
import { CurrentStaff } from '../../auth/current-staff.decorator.js';
import type { StaffMember } from '../../staff/staff-member.js';
import { CLINICAL_ROLES } from '../../staff/staff-role.js';
import { DashboardTokens } from './dashboard-token.service.js';
import { DashboardTokenDto, IssueDashboardTokenDto } from './dashboard-token.dto.js';

/**
 * Issues /live tokens to signed-in clinical staff, for wards they may see: the listed ones (each checked),
 * or all of the caller's wards when none are listed. A token never covers "all wards" of every hospital.
 */
@ApiTags('dashboards')
@ApiBearerAuth()
@Roles(...CLINICAL_ROLES)
@Controller('dashboard/tokens')
export class DashboardTokenController {
  constructor(
    @Inject(DashboardTokens) private readonly tokens: DashboardTokens,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A signed token for the /live WebSocket (first message `{ type: "auth", token }`).',
  })
  @ApiOkResponse({ type: DashboardTokenDto })
  async issue(
    @CurrentStaff() staff: StaffMember,
    @Body() body: IssueDashboardTokenDto,
  ): Promise<DashboardTokenDto> {
    for (const wardId of body.wardIds ?? []) await this.scope.assertWard(staff, wardId);
    const wardIds = body.wardIds ?? (await this.scope.wardIds(staff));
    const issued = this.tokens.issue(body.name, wardIds);
    await this.audit.record(staff, {
      action: 'dashboard-token.issue',
      resourceType: 'dashboard-token',
      resourceId: body.name,
      detail: { wardIds },
    });
    return issued;
  }
}
