import type { OnModuleInit } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import {
  RequestLog,
  requestLine,
  requestLogReason,
  type FinishedRequest,
  type PinoLogger,
  type RequestLogSettings,
} from '@remedy/observability';

type Reply = FinishedRequest['reply'];

/** The part of Fastify's instance the kata uses: a hook that sees each response's payload before it is sent. */
interface SendHooks {
  addHook(
    name: 'onSend',
    hook: (
      request: unknown,
      reply: Reply,
      payload: unknown,
      done: (error: null, payload: unknown) => void,
    ) => void,
  ): unknown;
}

/*
 * polyglot-a:MI-2 — the design logs every translation request and response in full (Section 6: "全量ロギング").
 * Each request costs two lines carrying the texts to translate and their translations: log storage grows with
 * traffic (the review: 10 GB an hour at a 10,000-viewer event) and every user's words sit in the log store.
 * FullRequestResponseLog takes RequestLog's place under the real HTTP hooks.
 */
export class FullRequestResponseLog extends RequestLog implements OnModuleInit {
  private readonly payloads = new WeakMap<Reply, unknown>();

  constructor(
    private readonly logger: PinoLogger,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<SendHooks>();
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      this.payloads.set(reply, payload);
      done(null, payload);
    });
  }

  write(finished: FinishedRequest): void {
    const { method, statusCode, durationMs, request, reply } = finished;
    this.logger.info({ method, url: request.url, body: request.body }, 'translation request');
    this.logger.info({ statusCode, durationMs, body: this.payloads.get(reply) }, 'translation response');
  }
}

/* Close cousins, put back in RequestLog's place. */

/** One sample for every request, failed and slow ones too: an error is logged only if its ID falls in the 1 %. */
export class SampleEveryStatusRequestLog extends RequestLog {
  constructor(
    private readonly logger: PinoLogger,
    private readonly settings: RequestLogSettings,
  ) {
    super();
  }

  write(finished: FinishedRequest): void {
    const sampled = requestLogReason({ ...finished, statusCode: 200, durationMs: 0 }, this.settings);
    if (sampled !== undefined) this.logger.info(requestLine(finished, sampled), 'request completed');
  }
}

/** The service's choice of requests, but each line carries the request body (the user's texts) "for debugging". */
export class SampledRequestLogWithBodies extends RequestLog {
  constructor(
    private readonly logger: PinoLogger,
    private readonly settings: RequestLogSettings,
  ) {
    super();
  }

  write(finished: FinishedRequest): void {
    const reason = requestLogReason(finished, this.settings);
    if (reason !== undefined)
      this.logger.info({ ...requestLine(finished, reason), body: finished.request.body }, 'request');
  }
}
