import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type RejectReason = 'invalid' | 'conflict' | 'throttled' | 'buffer_full' | 'unauthenticated';

/** The write path's Prometheus series (V-16): rate in, rate stored, rejects, batch sizes, flush latency, buffer depth. */
@Injectable()
export class IngestMetrics {
  readonly received: Counter<string>;
  readonly stored: Counter<string>;
  readonly rejected: Counter<'reason'>;
  readonly batchSize: Histogram<string>;
  readonly flushDuration: Histogram<'outcome'>;
  readonly bufferDepth: Gauge<string>;
  readonly alertsRaised: Counter<'metric'>;
  readonly evaluatorLag: Histogram<string>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.received = new Counter({
      name: 'vitals_readings_received_total',
      help: 'Readings received from devices (valid or not)',
      registers: [registry],
    });
    this.stored = new Counter({
      name: 'vitals_readings_stored_total',
      help: 'Readings durably stored (resends that hit an existing row included)',
      registers: [registry],
    });
    this.rejected = new Counter({
      name: 'vitals_readings_rejected_total',
      help: 'Readings refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.batchSize = new Histogram({
      name: 'vitals_write_batch_rows',
      help: 'Rows per flushed batch',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    });
    this.flushDuration = new Histogram({
      name: 'vitals_write_flush_duration_seconds',
      help: 'Time to write one batch (INSERT … ON CONFLICT DO NOTHING)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.bufferDepth = new Gauge({
      name: 'vitals_write_buffer_rows',
      help: 'Readings waiting in the write buffer (not yet flushed); across cluster workers, the fullest buffer',
      registers: [registry],
      // Each process throttles its devices when its own buffer is full (WRITE_BUFFER_MAX_ROWS), so the alert
      // and the dashboard read the fullest buffer: a sum over workers would cross the threshold with none full.
      aggregator: 'max',
    });
    this.alertsRaised = new Counter({
      name: 'vitals_alerts_raised_total',
      help: 'Alerts raised (one per breach episode)',
      labelNames: ['metric'],
      registers: [registry],
    });
    this.evaluatorLag = new Histogram({
      name: 'vitals_alert_evaluation_lag_seconds',
      help: 'Time from a batch being stored to its evaluation',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }
}
