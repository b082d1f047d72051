import { Controller, Get, Header, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { AuditLog } from '../audit/audit-log.service.js';
import { AccessScope } from '../auth/access-scope.service.js';
import { CurrentStaff } from '../auth/current-staff.decorator.js';
import type { StaffMember } from '../staff/staff-member.js';
import { CLINICAL_ROLES } from '../staff/staff-role.js';
import { ReportService } from './report.service.js';
import { REPORT_PERIODS, ReportQueryDto } from './report-query.dto.js';

/** Patient reports: clinical staff of the patient's ward; every download is audited before it starts. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles(...CLINICAL_ROLES)
@Controller('patients')
export class ReportsController {
  constructor(
    @Inject(ReportService) private readonly reports: ReportService,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Get(':id/report')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: "A patient's daily or weekly report: every reading as CSV, then a summary; streamed." })
  async report(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) patientId: string,
    @Query() query: ReportQueryDto,
  ): Promise<StreamableFile> {
    await this.scope.assertPatient(staff, patientId);
    const end = query.end === undefined ? new Date() : new Date(query.end);
    const start = new Date(end.getTime() - REPORT_PERIODS[query.period]);
    await this.audit.record(staff, {
      action: 'report.download',
      resourceType: 'patient',
      resourceId: patientId,
      patientId,
      detail: { period: query.period, end: end.toISOString() },
    });
    const body = await this.reports.stream(patientId, start, end);
    return new StreamableFile(body, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="patient-${patientId}-${query.period}-${end.toISOString().slice(0, 10)}.csv"`,
    });
  }
}
