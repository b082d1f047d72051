import { Module } from '@nestjs/common';
import { SloMetrics } from './slo-metrics.js';

@Module({ providers: [SloMetrics] })
export class SloModule {}
