import { Module } from '@nestjs/common';
import { PartitionCapacityMetrics } from './partition-capacity.metrics.js';

/** API side of the lifecycle: capacity metrics on /metrics. The maintenance job runs in the worker. */
@Module({ providers: [PartitionCapacityMetrics] })
export class LifecycleModule {}
