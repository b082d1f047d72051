import { Global, Module } from '@nestjs/common';
import { IngestMetrics } from './ingest-metrics.service.js';

@Global()
@Module({ providers: [IngestMetrics], exports: [IngestMetrics] })
export class TelemetryModule {}
