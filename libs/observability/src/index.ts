export { ObservabilityModule, type ObservabilityAsyncOptions } from './observability.module.js';
export {
  OBSERVABILITY_OPTIONS,
  type HealthOptions,
  type ObservabilityOptions,
  type TraceExporterKind,
  type TracingOptions,
} from './observability-options.js';
export { LOGGER, METRICS_REGISTRY } from './observability.tokens.js';
export {
  bindCorrelation,
  currentCorrelation,
  runWithCorrelation,
  runOnBehalfOf,
  type Correlation,
  type CorrelationFields,
  type CorrelationValue,
} from './correlation/correlation-context.js';
export { REQUEST_ID_HEADER } from './correlation/request-id.js';
export {
  CORRELATION_KEY,
  runJobWithCorrelation,
  withCorrelationHeaders,
  type CorrelatedJob,
  type WithCorrelation,
} from './correlation/job-correlation.js';
export { NestJsonLogger } from './logging/nest-json-logger.service.js';
export { createLogger, type LoggerSettings } from './logging/pino-logger.factory.js';
export {
  RequestLog,
  SampledRequestLog,
  requestLine,
  requestLogReason,
  type FinishedRequest,
  type RequestLogReason,
  type RequestLogSettings,
} from './logging/request-log.js';
export { registerQueueMetrics } from './metrics/queue-metrics.js';
export { aggregateWorkerMetrics } from './metrics/aggregate-worker-metrics.js';
export { WebSocketMetrics, type RoomDeliveryObserver } from './metrics/websocket-metrics.service.js';
export { normaliseSql, statementKind, type StatementKind } from './metrics/sql-text.js';
export { TracingService } from './tracing/tracing.service.js';
export { currentTraceparent, runInLinkedSpan, type LinkedSpanOptions } from './tracing/tracing.js';
export { SpanKind } from '@opentelemetry/api';
export type { DestinationStream, Logger as PinoLogger } from 'pino';
// Exported so an app's global auth guard can name them as deliberately public (probes and scrapes carry no token).
export { HealthController } from './health/health.controller.js';
export { MetricsController } from './metrics/metrics.controller.js';
