import { Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import type { Registry } from 'prom-client';
import type { ProviderPlug } from '@remedy/testing';
import type { StoredReading } from '../src/storage/stored-reading.js';
import { StoredStreamPublisher } from '../src/storage/stored-stream.publisher.js';
import { IngestMetrics } from '../src/telemetry/ingest-metrics.service.js';

/**
 * vitals:V-16, the original design: CloudWatch logs only; "no mention of distributed tracing" and "no
 * performance metrics collection strategy". Two plugs put that design into the real service:
 */

/** The handoff from the write path to the alert service carries no trace context (the stored-stream entry's is empty). */
@Injectable()
export class ContextDroppingPublisher extends StoredStreamPublisher {
  // The write path's trace context travels with the batch to the stream, so the alert service's span joins the
  // reading's trace.
  override publish(readings: readonly StoredReading[], traceparent: string): Promise<void> {
    return super.publish(readings, traceparent);
  }
}

/** Nothing counts or times the write path where anyone can see it: its series live in a registry nobody scrapes. */
export const unexportedIngestMetrics: ProviderPlug = {
  provide: IngestMetrics,
  // The write path's series registered in the registry GET /metrics serves.
  inject: [METRICS_REGISTRY],
  useFactory: (registry: Registry) => new IngestMetrics(registry),
};

export const contextDroppingPublisher: ProviderPlug = {
  provide: StoredStreamPublisher,
  useClass: ContextDroppingPublisher,
};
