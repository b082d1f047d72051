import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PgPool } from '@remedy/pooling';
import type pg from 'pg';
import type { DestinationStream, Level } from 'pino';
import type { Registry } from 'prom-client';
import type { RequestLogSettings } from './logging/request-log.js';
import type { DataSource } from 'typeorm';

export type TraceExporterKind = 'otlp' | 'console' | 'memory';

export interface TracingOptions {
  enabled: boolean;
  /** `otlp` batches spans to an OTLP/HTTP collector; `console` and `memory` are for development and tests. */
  exporter: TraceExporterKind;
  /** OTLP/HTTP traces endpoint; the exporter's default (http://localhost:4318/v1/traces) when unset. */
  otlpUrl?: string;
  /** Share of new traces kept, 0..1 (default 1); a request continuing a caller's trace follows the caller's decision. */
  sampleRatio?: number;
}

export interface HealthOptions {
  postgres?: pg.Pool | DataSource;
  redis?: Redis[];
  /** Per-dependency timeout of the readiness check (default 1000 ms). */
  timeoutMs?: number;
}

export interface ObservabilityOptions {
  /** Becomes the `service` label of every metric, the `service` field of every log line and the trace resource. */
  serviceName: string;
  /** A registry of the application's own; one is created when unset. */
  registry?: Registry;
  /**
   * `cluster`: in a node:cluster worker, `/metrics` answers for every worker of the primary, which must run
   * `aggregateWorkerMetrics()` (the workers share the port, so a scrape lands on any one of them). Outside a
   * worker, and by default (`process`), it answers for this process.
   */
  metricsScope?: 'process' | 'cluster';
  health?: HealthOptions;
  /** Pools made by `@remedy/pooling` whose gauges (total/idle/waiting) are exported. */
  pools?: PgPool[];
  /** BullMQ queues whose job counts are exported; more can be added with `registerQueueMetrics`. */
  queues?: Queue[];
  tracing?: TracingOptions;
  /** Statements slower than this are logged with their normalised SQL (default 500 ms). */
  slowQueryMs?: number;
  logLevel?: Level;
  /**
   * Which finished requests get a request line: every 5xx, every request slower than `slowMs`, and
   * `sampleRatio` of the rest by request-ID hash. Default: every request (ratio 1, nothing counts as slow).
   */
  requestLog?: RequestLogSettings;
  /** Where JSON log lines go; stdout when unset. */
  logDestination?: DestinationStream;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
