import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

/**
 * Trace propagation across the write path (V-16). These go through the global OpenTelemetry API, which
 * @remedy/observability's TracingService registers when TRACING_ENABLED is set; with tracing off the
 * API is a no-op and `traceparent` is empty.
 */
const tracer = () => trace.getTracer('medical-vitals');

export interface Traced {
  /** W3C traceparent of the span that produced this item, or '' when not traced. */
  traceparent: string;
}

export function currentTraceparent(active: Context = context.active()): string {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier['traceparent'] ?? '';
}

export function contextFromTraceparent(traceparent: string): Context {
  return traceparent === '' ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** Runs `fn` in a span whose parent is `parent` (a traceparent) and which links the other producers' spans. */
export async function inSpan<T>(
  name: string,
  options: {
    parent?: string;
    links?: string[];
    kind?: SpanKind;
    attributes?: Record<string, string | number>;
  },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = contextFromTraceparent(options.parent ?? '');
  const links: Link[] = (options.links ?? [])
    .filter((link) => link !== '' && link !== options.parent)
    .slice(0, 32)
    .map((link) => trace.getSpanContext(contextFromTraceparent(link)))
    .filter((spanContext) => spanContext !== undefined)
    .map((spanContext) => ({ context: spanContext }));
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, links, attributes: options.attributes ?? {} },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind };
