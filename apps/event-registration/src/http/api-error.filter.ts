import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { PoolExhaustedError } from '@remedy/pooling';
import type { FastifyReply } from 'fastify';
import type { ApiErrorBody, ApiErrorDetail } from './api-error.js';
import { transientDatabaseReason } from './transient-database-errors.js';

/**
 * Every error leaves as `{ statusCode, error, message, details }`. Client mistakes keep their 4xx and
 * field details; an exhausted pool, a statement cut off by statement_timeout (events:C-3, S-4), a deadlock,
 * a serialization failure or a lock timeout is a 503 with the reason and Retry-After; anything else is a
 * 500 with no internals, logged in full with the request ID.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error(exception);
    if (body.statusCode === 503) void reply.header('retry-after', '1');
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (exception instanceof PoolExhaustedError) {
      return unavailable(`database busy: ${exception.message}`);
    }
    const transient = transientDatabaseReason(exception);
    if (transient !== undefined) return unavailable(transient);
    const fastifyStatus = clientErrorStatus(exception);
    if (fastifyStatus !== undefined) {
      return {
        statusCode: fastifyStatus,
        error: reason(fastifyStatus),
        message: (exception as Error).message,
        details: [],
      };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', details: [] };
  }
}

function fromHttpException(exception: HttpException): ApiErrorBody {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return { statusCode, error: reason(statusCode), message: response, details: [] };
  }
  const fields = response as { error?: unknown; message?: unknown; details?: unknown };
  const message = Array.isArray(fields.message)
    ? fields.message.map(String).join('; ')
    : typeof fields.message === 'string'
      ? fields.message
      : exception.message;
  return {
    statusCode,
    error: typeof fields.error === 'string' ? fields.error : reason(statusCode),
    message,
    details: Array.isArray(fields.details) ? (fields.details as ApiErrorDetail[]) : [],
  };
}

function unavailable(message: string): ApiErrorBody {
  return { statusCode: 503, error: 'Service Unavailable', message, details: [] };
}

/** Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode. */
function clientErrorStatus(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function reason(statusCode: number): string {
  const name = HttpStatus[statusCode];
  return typeof name === 'string'
    ? name
        .toLowerCase()
        .split('_')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join(' ')
    : 'Error';
}
