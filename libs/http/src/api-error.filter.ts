import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toApiError } from './to-api-error.js';

export interface ApiErrorFilterOptions {
  /** What a 503 tells clients to wait before retrying; the causes clear within a second or two. Default 1. */
  retryAfterSeconds?: number;
}

/**
 * Sends every HTTP error as `toApiError` describes it, with Retry-After on a 503, and on any error that carries
 * its own wait as a `retryAfterSeconds` number (a 429 of a login throttle or a rate limit). Server errors other than
 * 503 are logged in full (with the request ID when the logger carries one), because the body says nothing.
 * Register an instance (`useValue`, `useGlobalFilters`): the options are not a Nest provider.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');
  private readonly retryAfter: string;

  constructor(options: ApiErrorFilterOptions = {}) {
    this.retryAfter = String(options.retryAfterSeconds ?? 1);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    // Socket errors are the gateways' to answer (with toApiError); a socket has no reply to set a status on.
    if (host.getType() !== 'http') return;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = toApiError(exception);
    if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error(exception);
    const ownWait = retryAfterOf(exception);
    if (ownWait !== undefined) void reply.header('retry-after', String(ownWait));
    else if (body.statusCode === 503) void reply.header('retry-after', this.retryAfter);
    // A route's own content type (`@Header('content-type', 'text/html')` on a page) is set before its pipes
    // run: an error body sent under it is not JSON to the client, and Fastify cannot serialise an object as
    // text/html (the 400 of a bad path parameter became a 500).
    void reply.header('content-type', 'application/json; charset=utf-8').status(body.statusCode).send(body);
  }
}

function retryAfterOf(exception: unknown): number | undefined {
  const seconds = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? Math.ceil(seconds)
    : undefined;
}
