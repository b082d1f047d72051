import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import type { KeysetPage } from '@remedy/pagination';
import { AuditLog } from '../audit/audit-log.service.js';
import { AccessScope } from '../auth/access-scope.service.js';
import { CurrentStaff } from '../auth/current-staff.decorator.js';
import type { StaffMember } from '../staff/staff-member.js';
import { CLINICAL_ROLES } from '../staff/staff-role.js';
import type { StoredReading } from '../storage/stored-reading.js';
import { DashboardQueries } from './dashboard-queries.service.js';
import type { ActivePatient, OpenAlert, PatientSummary, VitalReading } from './dashboard-views.js';
import {
  ActivePatientsQueryDto,
  OpenAlertDto,
  VitalsRangeQueryDto,
  WardPatientsQueryDto,
} from './dashboard.dto.js';

/**
 * Dashboard reads; all of them on the reader connection. Live updates come over the /live WebSocket.
 * Clinical staff of the ward only; reading one patient's vitals is audited (ward lists are the dashboards'
 * polling-free refresh and carry no history, so they are not).
 */
@ApiTags('dashboards')
@ApiBearerAuth()
@Roles(...CLINICAL_ROLES)
@Controller()
export class DashboardsController {
  constructor(
    @Inject(DashboardQueries) private readonly queries: DashboardQueries,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Get('wards/:id/patients')
  @ApiOperation({ summary: "A ward's patients, keyset-paginated (cursor from pagination.nextCursor)." })
  async wardPatients(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) wardId: string,
    @Query() query: WardPatientsQueryDto,
  ): Promise<KeysetPage<PatientSummary>> {
    await this.scope.assertWard(staff, wardId);
    return this.queries.wardPatients(wardId, query);
  }

  @Get('wards/:id/open-alerts')
  @ApiOperation({
    summary:
      "The open alerts of a ward's active patients, newest first: what a ward page shows on load (new ones arrive on /live).",
  })
  @ApiOkResponse({ type: [OpenAlertDto] })
  async openAlerts(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) wardId: string,
  ): Promise<OpenAlert[]> {
    await this.scope.assertWard(staff, wardId);
    return this.queries.openAlerts(wardId);
  }

  @Get('dashboard/active-patients')
  @ApiOperation({
    summary: "A ward's active patients with their latest vitals and open alert count (constant query count).",
  })
  async activePatients(
    @CurrentStaff() staff: StaffMember,
    @Query() query: ActivePatientsQueryDto,
  ): Promise<KeysetPage<ActivePatient>> {
    await this.scope.assertWard(staff, query.wardId);
    return this.queries.activePatients(query.wardId, query);
  }

  @Get('patients/:id/latest')
  @ApiOperation({ summary: "A patient's latest reading (Redis cache), or null when none in the hot window." })
  async latest(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) patientId: string,
  ): Promise<{ patientId: string; latest: StoredReading | null }> {
    await this.scope.assertPatient(staff, patientId);
    const latest = await this.queries.latestOf(patientId);
    await this.audit.record(staff, {
      action: 'vitals.read',
      resourceType: 'patient',
      resourceId: patientId,
      patientId,
    });
    return { patientId, latest };
  }

  @Get('patients/:id/vitals')
  @ApiOperation({
    summary: "A patient's readings in [from, to), newest first, keyset-paginated (range ≤ 7 days).",
  })
  async vitals(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) patientId: string,
    @Query() query: VitalsRangeQueryDto,
  ): Promise<KeysetPage<VitalReading>> {
    await this.scope.assertPatient(staff, patientId);
    const page = await this.queries.vitals(patientId, { from: query.from, to: query.to }, query);
    await this.audit.record(staff, {
      action: 'vitals.read',
      resourceType: 'patient',
      resourceId: patientId,
      patientId,
      detail: { from: query.from ?? null, to: query.to ?? null },
    });
    return page;
  }
}
