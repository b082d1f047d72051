import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';

export type TraceCarrier = Record<string, string>;

type IncomingHeaders = Record<string, string | string[] | undefined>;

// One tracer per process, because the OpenTelemetry API registers its context manager and propagator
// globally. While it is unset every helper below returns before touching the API, so tracing that is
// switched off costs one comparison per request or job.
let activeTracer: Tracer | undefined;

export function setActiveTracer(tracer: Tracer | undefined): void {
  activeTracer = tracer;
}

export function isTracingActive(): boolean {
  return activeTracer !== undefined;
}

/** The W3C `traceparent`/`tracestate` of the current span, to carry it through a queue. */
export function injectTraceContext(): TraceCarrier | undefined {
  if (activeTracer === undefined) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/** Starts the span of an incoming request, continuing the caller's trace when its headers carry one. */
export function startServerSpan(
  name: string,
  headers: IncomingHeaders,
  attributes: Attributes,
): { span: Span; context: Context } | undefined {
  if (activeTracer === undefined) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = activeTracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs queued work in a consumer span whose parent is the producer's span found in `carrier`. */
export async function runInConsumerSpan<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  const tracer = activeTracer;
  if (tracer === undefined) return fn();
  const parent = propagation.extract(context.active(), carrier ?? {});
  return runActiveSpan(tracer, name, { kind: SpanKind.CONSUMER, attributes }, parent, fn);
}

/** Runs `fn` as the active span, recording a failure on it, and always ends it. */
function runActiveSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  parent: Context,
  fn: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

// With tracing off, a traceparent handed to runInLinkedSpan (a device's, a stream entry's) is still passed on
// unchanged, as W3C Trace Context asks of a service that does not record: a default deployment keeps one trace
// from the device to the dashboard, and turning tracing on (here or downstream) only adds spans to it.
const forwarded = new AsyncLocalStorage<string>();
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The W3C `traceparent` of the current span, for a stream entry or a message field. With tracing off, the
 * one being forwarded (see runInLinkedSpan), or '' when there is none.
 */
export function currentTraceparent(): string {
  if (activeTracer === undefined) return forwarded.getStore() ?? '';
  return injectTraceContext()?.['traceparent'] ?? '';
}

export interface LinkedSpanOptions {
  /** The W3C traceparent this span continues ('' or absent: a new trace). */
  parent?: string;
  /** Other producers' traceparents, linked rather than parented: a batch merges the work of many. */
  links?: string[];
  kind?: SpanKind;
  attributes?: Attributes;
}

// A span may carry a bounded number of links; past it a batch keeps the first ones.
const MAX_LINKS = 32;

function contextOf(traceparent: string): Context {
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/**
 * Runs `fn` in a span continuing `options.parent` and linking `options.links`, for work handed along as
 * traceparent strings (stream entries, socket messages). With tracing off it runs `fn` with a valid
 * `options.parent` as the traceparent to forward (currentTraceparent), and records nothing.
 */
export async function runInLinkedSpan<T>(
  name: string,
  options: LinkedSpanOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const tracer = activeTracer;
  if (tracer === undefined) {
    const parent = options.parent?.toLowerCase();
    return parent !== undefined && TRACEPARENT.test(parent) ? forwarded.run(parent, fn) : fn();
  }
  const parent = options.parent ? contextOf(options.parent) : ROOT_CONTEXT;
  const links: Link[] = (options.links ?? [])
    .filter((link) => link !== '' && link !== options.parent)
    .slice(0, MAX_LINKS)
    .map((link) => trace.getSpanContext(contextOf(link)))
    .filter((spanContext) => spanContext !== undefined)
    .map((spanContext) => ({ context: spanContext }));
  const spanOptions = {
    kind: options.kind ?? SpanKind.INTERNAL,
    links,
    attributes: options.attributes ?? {},
  };
  return runActiveSpan(tracer, name, spanOptions, parent, fn);
}

/** The trace and span IDs of the active span, for log lines; undefined when tracing is off. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (activeTracer === undefined) return undefined;
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
