import { Module } from '@nestjs/common';
import { PartitionMaintenanceJob } from './partition-maintenance.job.js';

/** Worker-side: the scheduled partition maintenance of events:S-5. */
@Module({ providers: [PartitionMaintenanceJob] })
export class RetentionModule {}
