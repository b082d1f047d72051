import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  OBSERVABILITY_OPTIONS,
  type ObservabilityOptions,
  type TracingOptions,
} from '../observability-options.js';
import { isTracingActive, setActiveTracer } from './tracing.js';

/**
 * Owns the OpenTelemetry tracer provider when `tracing.enabled` is set: registers it globally (with
 * the AsyncLocalStorage context manager and W3C propagator) and flushes and unregisters it on shutdown.
 */
@Injectable()
export class TracingService implements OnApplicationShutdown {
  private readonly provider: NodeTracerProvider | undefined;
  private readonly memory: InMemorySpanExporter | undefined;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions) {
    const tracing = options.tracing;
    if (tracing?.enabled !== true) return;
    if (isTracingActive()) {
      throw new Error(
        'Tracing is already enabled in this process: OpenTelemetry holds one global tracer provider, so enable it in one ObservabilityModule only.',
      );
    }
    const { processor, memory } = createSpanProcessor(tracing);
    this.memory = memory;
    this.provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(tracing.sampleRatio ?? 1) }),
      spanProcessors: [processor],
    });
    this.provider.register();
    setActiveTracer(this.provider.getTracer('@remedy/observability'));
  }

  /** Spans ended so far; only with `exporter: 'memory'`, which exists for tests. */
  finishedSpans(): ReadableSpan[] {
    if (this.memory === undefined)
      throw new Error("finishedSpans() needs tracing enabled with exporter 'memory'.");
    return this.memory.getFinishedSpans();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.provider === undefined) return;
    setActiveTracer(undefined);
    await this.provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}

function createSpanProcessor(tracing: TracingOptions): {
  processor: SpanProcessor;
  memory?: InMemorySpanExporter;
} {
  switch (tracing.exporter) {
    case 'otlp':
      return {
        processor: new BatchSpanProcessor(
          new OTLPTraceExporter(tracing.otlpUrl === undefined ? {} : { url: tracing.otlpUrl }),
        ),
      };
    case 'console':
      return { processor: new SimpleSpanProcessor(new ConsoleSpanExporter()) };
    case 'memory': {
      const memory = new InMemorySpanExporter();
      return { processor: new SimpleSpanProcessor(memory), memory };
    }
  }
}
