import { Module } from '@nestjs/common';
import { PartitionMetrics } from './partition-metrics.service.js';

/** API-side: partition size gauges for the registrations and survey_responses partitions. */
@Module({ providers: [PartitionMetrics] })
export class PartitionMetricsModule {}
