import { HttpException } from '@nestjs/common';
import { isConnectionOpeningTimeout, PoolExhaustedError } from '@remedy/pooling';
import type { ApiErrorBody } from './api-error.js';
import { constraintDatabaseError } from './constraint-database-errors.js';
import { statusReason } from './status-reason.js';
import { transientDatabaseReason } from './transient-database-errors.js';

/**
 * The error body for any exception, whatever carries it (an HTTP reply or a socket message). Client
 * mistakes keep their 4xx and field details; database constraint and format errors become the 4xx they
 * mean; an exhausted pool, a connection too slow to open or a transient database error is a 503 with the
 * reason; anything else is a 500 with no internals.
 */
export function toApiError(exception: unknown): ApiErrorBody {
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (exception instanceof PoolExhaustedError) return unavailable(`database busy: ${exception.message}`);
  // The server was too slow to start a session; the request sent it nothing.
  if (isConnectionOpeningTimeout(exception)) {
    return unavailable('database unavailable: opening a connection took too long');
  }
  const transient = transientDatabaseReason(exception);
  if (transient !== undefined) return unavailable(transient);
  const constraint = constraintDatabaseError(exception);
  if (constraint !== undefined) return body(constraint.statusCode, constraint.message);
  const clientStatus = fastifyClientErrorStatus(exception);
  if (clientStatus !== undefined) return body(clientStatus, (exception as Error).message);
  return body(500, 'Internal server error');
}

function fromHttpException(exception: HttpException): ApiErrorBody {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return body(statusCode, response);
  const fields = response as { error?: unknown; message?: unknown; details?: unknown };
  const message = Array.isArray(fields.message)
    ? fields.message.map(String).join('; ')
    : typeof fields.message === 'string'
      ? fields.message
      : exception.message;
  return {
    statusCode,
    error: typeof fields.error === 'string' ? fields.error : statusReason(statusCode),
    message,
    details: Array.isArray(fields.details) ? (fields.details as ApiErrorBody['details']) : [],
  };
}

function unavailable(message: string): ApiErrorBody {
  return body(503, message);
}

function body(statusCode: number, message: string): ApiErrorBody {
  return { statusCode, error: statusReason(statusCode), message, details: [] };
}

/** Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode. */
function fastifyClientErrorStatus(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
