import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

const PG_ERRORS: Record<string, { status: number; message: string }> = {
  '23505': { status: HttpStatus.CONFLICT, message: 'a row with this unique value already exists' },
  '23503': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: 'a referenced row does not exist' },
  '23514': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: 'the values break a table constraint' },
  '22P02': { status: HttpStatus.BAD_REQUEST, message: 'a value has the wrong format' },
};

function statusText(status: number): string {
  return (HttpStatus[status] ?? 'ERROR')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** Every error leaves as `{ statusCode, error, message, details }`; unexpected ones as a bare 500, never a stack. */
export function toApiError(exception: unknown): ApiErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const body = typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
    const message = Array.isArray(body['message'])
      ? (body['message'] as string[]).join('; ')
      : typeof body['message'] === 'string'
        ? body['message']
        : exception.message;
    return {
      statusCode: status,
      error: statusText(status),
      message,
      ...(body['details'] === undefined ? {} : { details: body['details'] }),
    };
  }
  if (exception instanceof QueryFailedError) {
    const driverError = exception.driverError as { code?: string; detail?: string; constraint?: string };
    const known = driverError.code === undefined ? undefined : PG_ERRORS[driverError.code];
    if (known) {
      return {
        statusCode: known.status,
        error: statusText(known.status),
        message: known.message,
        details: { constraint: driverError.constraint, detail: driverError.detail },
      };
    }
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'unexpected error' };
}

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const body = toApiError(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception : String(exception));
    void host.switchToHttp().getResponse<FastifyReply>().status(body.statusCode).send(body);
  }
}
