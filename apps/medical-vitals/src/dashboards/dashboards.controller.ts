import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { KeysetPage } from '@remedy/pagination';
import type { StoredReading } from '../storage/stored-reading.js';
import { DashboardQueries } from './dashboard-queries.service.js';
import type { ActivePatient, PatientSummary, VitalReading } from './dashboard-views.js';
import { ActivePatientsQueryDto, VitalsRangeQueryDto, WardPatientsQueryDto } from './dashboard.dto.js';

/** Dashboard reads; all of them on the reader connection. Live updates come over the /live WebSocket. */
@ApiTags('dashboards')
@Controller()
export class DashboardsController {
  constructor(@Inject(DashboardQueries) private readonly queries: DashboardQueries) {}

  @Get('wards/:id/patients')
  @ApiOperation({ summary: "A ward's patients, keyset-paginated (cursor from pagination.nextCursor)." })
  wardPatients(
    @Param('id', ParseUUIDPipe) wardId: string,
    @Query() query: WardPatientsQueryDto,
  ): Promise<KeysetPage<PatientSummary>> {
    return this.queries.wardPatients(wardId, query);
  }

  @Get('dashboard/active-patients')
  @ApiOperation({
    summary: "A ward's active patients with their latest vitals and open alert count (constant query count).",
  })
  activePatients(@Query() query: ActivePatientsQueryDto): Promise<KeysetPage<ActivePatient>> {
    return this.queries.activePatients(query.wardId, query);
  }

  @Get('patients/:id/latest')
  @ApiOperation({ summary: "A patient's latest reading (Redis cache), or null when none in the hot window." })
  async latest(
    @Param('id', ParseUUIDPipe) patientId: string,
  ): Promise<{ patientId: string; latest: StoredReading | null }> {
    return { patientId, latest: await this.queries.latestOf(patientId) };
  }

  @Get('patients/:id/vitals')
  @ApiOperation({
    summary: "A patient's readings in [from, to), newest first, keyset-paginated (range ≤ 7 days).",
  })
  vitals(
    @Param('id', ParseUUIDPipe) patientId: string,
    @Query() query: VitalsRangeQueryDto,
  ): Promise<KeysetPage<VitalReading>> {
    return this.queries.vitals(patientId, { from: query.from, to: query.to }, query);
  }
}
