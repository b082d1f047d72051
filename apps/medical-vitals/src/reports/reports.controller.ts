import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ReportService } from './report.service.js';
import { REPORT_PERIODS, ReportQueryDto } from './report-query.dto.js';

@ApiTags('reports')
@Controller('patients')
export class ReportsController {
  constructor(@Inject(ReportService) private readonly reports: ReportService) {}

  @Get(':id/report')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: "A patient's daily or weekly report: every reading as CSV, then a summary; streamed." })
  async report(@Param('id', ParseUUIDPipe) patientId: string, @Query() query: ReportQueryDto): Promise<StreamableFile> {
    const end = query.end === undefined ? new Date() : new Date(query.end);
    const start = new Date(end.getTime() - REPORT_PERIODS[query.period]);
    const body = await this.reports.stream(patientId, start, end);
    return new StreamableFile(body, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="patient-${patientId}-${query.period}-${end.toISOString().slice(0, 10)}.csv"`,
    });
  }
}
