import { runInConsumerSpan, injectTraceContext, type TraceCarrier } from '../tracing/tracing.js';
import { currentCorrelation, runWithCorrelation, type CorrelationValue } from './correlation-context.js';

/** The job-data key under which the producer's IDs and trace context travel. */
export const CORRELATION_KEY = '_correlation';

interface CarriedCorrelation {
  ids: Record<string, CorrelationValue>;
  trace?: TraceCarrier;
}

export type WithCorrelation<T> = T & { readonly [CORRELATION_KEY]?: CarriedCorrelation };

/** The parts of a BullMQ `Job` the worker side needs; a real `Job` fits. */
export interface CorrelatedJob {
  readonly id?: string | undefined;
  readonly name: string;
  readonly queueName: string;
  readonly data: unknown;
}

/** Job data plus the current request ID, bound domain IDs and, when tracing is on, the trace context. */
export function withCorrelationHeaders<T extends object>(jobData: T): WithCorrelation<T> {
  const trace = injectTraceContext();
  const carried: CarriedCorrelation = { ids: { ...currentCorrelation() }, ...(trace && { trace }) };
  return { ...jobData, [CORRELATION_KEY]: carried };
}

/**
 * Runs a worker's processing of `job` in the producer's correlation context (so its log lines carry
 * the producer's request ID, plus jobId and queue) and, when tracing is on, in a consumer span that
 * continues the producer's trace.
 */
export function runJobWithCorrelation<T>(job: CorrelatedJob, fn: () => Promise<T>): Promise<T> {
  const carried = readCarried(job.data);
  const ids = { ...carried?.ids, queue: job.queueName, ...(job.id !== undefined && { jobId: job.id }) };
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.destination.name': job.queueName,
    'messaging.operation.type': 'process',
  };
  return runWithCorrelation(ids, () =>
    runInConsumerSpan(`process ${job.queueName} ${job.name}`, carried?.trace, attributes, fn),
  );
}

// Job data comes back from Redis as parsed JSON, so its shape is checked rather than trusted.
function readCarried(data: unknown): CarriedCorrelation | undefined {
  if (!isRecord(data)) return undefined;
  const carried = data[CORRELATION_KEY];
  if (!isRecord(carried) || !isRecord(carried['ids'])) return undefined;
  const ids = pickValues(
    carried['ids'],
    (value): value is CorrelationValue =>
      typeof value === 'string' ||
      typeof value === 'number' ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string')),
  );
  const trace = isRecord(carried['trace'])
    ? pickValues(carried['trace'], (value): value is string => typeof value === 'string')
    : undefined;
  return { ids, ...(trace && { trace }) };
}

function pickValues<V>(
  record: Record<string, unknown>,
  keep: (value: unknown) => value is V,
): Record<string, V> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, V] => keep(entry[1])));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
