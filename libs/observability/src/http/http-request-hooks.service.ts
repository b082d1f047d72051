import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { context, SpanStatusCode, type Span } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, Registry } from 'prom-client';
import { runInNewCorrelation } from '../correlation/correlation-context.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../correlation/request-id.js';
import { RequestLog } from '../logging/request-log.js';
import { METRICS_REGISTRY } from '../observability.tokens.js';
import { startServerSpan } from '../tracing/tracing.js';

// Requests no route matched (404s, scanners) share one label value instead of one per raw URL.
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Per-request observability as Fastify hooks rather than a Nest interceptor: hooks also see 404s,
 * guard rejections and errors mapped by exception filters, and `onResponse` has the final status.
 * They run after Nest middleware, which Fastify registers first. Fastify and Node carry the async
 * context entered in `onRequest` through body parsing, the handler and the response's `finish`
 * (the correlation tests pin this, including late bodies and slowly drained responses), so the
 * request line written in `onResponse` carries the request's IDs and span. Whether a request gets a line at
 * all is `RequestLog`'s decision (every failed and slow one, a sample of the rest).
 */
@Injectable()
export class HttpRequestHooks implements OnModuleInit {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly spans = new WeakMap<FastifyRequest, Span>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(RequestLog) private readonly requestLog: RequestLog,
  ) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    // A standalone application context (a worker entry) has no HTTP adapter and nothing to hook.
    const adapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | null | undefined;
    if (adapter === null || adapter === undefined) return;
    const instance: unknown = adapter.getInstance();
    if (!isFastify(instance)) {
      throw new Error(
        '@remedy/observability hooks into Fastify: create the app with @nestjs/platform-fastify (FastifyAdapter).',
      );
    }
    instance.addHook('onRequest', (request, reply, done) => this.enter(request, reply, done));
    instance.addHook('onResponse', (request, reply, done) => {
      this.complete(request, reply);
      done();
    });
  }

  private enter(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const requestId = resolveRequestId(request.headers[REQUEST_ID_HEADER]);
    reply.header(REQUEST_ID_HEADER, requestId);
    const route = routeOf(request);
    const server = startServerSpan(`${request.method} ${route}`, request.headers, {
      [ATTR_HTTP_REQUEST_METHOD]: request.method,
      [ATTR_HTTP_ROUTE]: route,
    });
    const run = (): void => runInNewCorrelation(requestId, done);
    if (server === undefined) {
      run();
      return;
    }
    this.spans.set(request, server.span);
    context.with(server.context, run);
  }

  private complete(request: FastifyRequest, reply: FastifyReply): void {
    const route = routeOf(request);
    const statusCode = reply.statusCode;
    const durationMs = reply.elapsedTime;
    this.duration.observe({ method: request.method, route, status_code: statusCode }, durationMs / 1000);
    const requestId = reply.getHeader(REQUEST_ID_HEADER);
    this.requestLog.write({
      requestId: typeof requestId === 'string' ? requestId : '',
      method: request.method,
      route,
      statusCode,
      durationMs,
      request,
      reply,
    });
    const span = this.spans.get(request);
    if (span === undefined) return;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

function isFastify(instance: unknown): instance is FastifyInstance {
  return (
    typeof instance === 'object' &&
    instance !== null &&
    typeof (instance as { addHook?: unknown }).addHook === 'function'
  );
}
