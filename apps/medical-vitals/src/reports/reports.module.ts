import { Module } from '@nestjs/common';
import { ReadReplicaModule } from '../read-replica/read-replica.module.js';
import { ReportService } from './report.service.js';
import { ReportsController } from './reports.controller.js';

@Module({ imports: [ReadReplicaModule], controllers: [ReportsController], providers: [ReportService], exports: [ReportService] })
export class ReportsModule {}
