import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** A request as `onResponse` sees it: what the request line may say about it. */
export interface FinishedRequest {
  readonly requestId: string;
  readonly method: string;
  /** The route template Fastify matched (`/sessions/:id`), or `unmatched`. */
  readonly route: string;
  readonly statusCode: number;
  readonly durationMs: number;
  /** Fastify's own objects, for a policy that needs more; their bodies hold user data and stay out of the log. */
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RequestLogSettings {
  /**
   * Share of the requests that are neither failed nor slow that get a line, 0..1 (default 1: every request).
   * Decided by a hash of the request ID, so a given request is always in or out, whichever instance serves it.
   */
  sampleRatio?: number;
  /** Requests at least this slow always get a line (default: none is slow). */
  slowMs?: number;
}

/** Why a request got its line: it failed (5xx), it was slow, or its request ID fell in the sample. */
export type RequestLogReason = 'error' | 'slow' | 'sample';

/**
 * The seam that writes (or skips) the one line per finished request. The service's is `SampledRequestLog`;
 * an app may plug its own (a test, an audit trail with stricter rules).
 */
export abstract class RequestLog {
  abstract write(finished: FinishedRequest): void;
}

/**
 * Every failed and every slow request, and a deterministic sample of the rest: what an operator needs to find a
 * failure, without a line per request when traffic is high. The line carries method, route template, status
 * and duration (the correlation IDs come from the logger), never a body: bodies hold user text.
 */
export class SampledRequestLog extends RequestLog {
  constructor(
    private readonly logger: Logger,
    private readonly settings: RequestLogSettings = {},
  ) {
    super();
  }

  write(finished: FinishedRequest): void {
    const reason = requestLogReason(finished, this.settings);
    if (reason === undefined) return;
    const line = requestLine(finished, reason);
    if (reason === 'error') this.logger.error(line, 'request failed');
    else if (reason === 'slow') this.logger.warn(line, 'slow request');
    else this.logger.info(line, 'request completed');
  }
}

/** Whether a finished request gets a line under `settings`, and why; undefined when it is left out. */
export function requestLogReason(
  finished: Pick<FinishedRequest, 'requestId' | 'statusCode' | 'durationMs'>,
  settings: RequestLogSettings,
): RequestLogReason | undefined {
  if (finished.statusCode >= 500) return 'error';
  if (settings.slowMs !== undefined && finished.durationMs >= settings.slowMs) return 'slow';
  return inSample(finished.requestId, settings.sampleRatio ?? 1) ? 'sample' : undefined;
}

/** The fields of a request line: what was asked and how it went, no body. */
export function requestLine(
  finished: FinishedRequest,
  reason: RequestLogReason,
): Record<string, string | number> {
  return {
    method: finished.method,
    route: finished.route,
    statusCode: finished.statusCode,
    durationMs: Math.round(finished.durationMs * 100) / 100,
    logged: reason,
  };
}

// The first 32 bits of SHA-256 are uniform over request IDs, random or chosen by the caller.
function inSample(requestId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (ratio <= 0) return false;
  return createHash('sha256').update(requestId).digest().readUInt32BE(0) / 2 ** 32 < ratio;
}
