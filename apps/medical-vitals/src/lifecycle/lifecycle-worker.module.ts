import { Module } from '@nestjs/common';
import { PartitionMaintenanceService } from './partition-maintenance.service.js';

/** Worker side of the lifecycle: the scheduled maintenance job (its metrics are served by the API). */
@Module({ providers: [PartitionMaintenanceService] })
export class LifecycleWorkerModule {}
