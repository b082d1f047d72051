import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import {
  BadRequestException,
  HttpException,
  HttpStatus,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { ApiErrorBody } from './api-error.js';
import { statusReason } from './status-reason.js';
import { toApiError } from './to-api-error.js';
import { invalidField, type FieldDetailStyle } from './field-error.js';
import { DEFAULT_MAX_DEPTH, findUnsafeInput } from './unsafe-input.js';

export interface HttpEdgeOptions {
  /** Largest request body in bytes (413 above). Default 256 KiB. */
  bodyLimit?: number;
  /** Deepest JSON nesting accepted (400 above). Default 32. */
  maxDepth?: number;
  /** How a refused field is listed (default `per-constraint`); the app's ValidationPipe style. */
  details?: FieldDetailStyle;
  /** Any other Fastify server option (`return503OnClosing`, `maxParamLength`, …). */
  fastify?: Omit<FastifyServerOptions, 'bodyLimit' | 'frameworkErrors' | 'clientErrorHandler'>;
}

const DEFAULT_BODY_LIMIT = 256 * 1024;

/**
 * The Fastify adapter every app boots on, so that input no service can handle is refused before
 * class-transformer, class-validator or Postgres see it, and every answer, Fastify's own included, has the
 * `{ statusCode, error, message, details }` shape:
 *
 * - JSON is the only body accepted: any other content type (a form-encoded login) is a 415.
 * - A JSON body, and the query string, are walked once for NUL characters, lone surrogates, `__proto__`
 *   keys and nesting deeper than `maxDepth`: a 400 naming the field.
 * - A too-long path parameter (414), oversized headers (431), a malformed URL (400) and a client timeout
 *   (408) answer in the same shape as everything else, without Fastify's `code`.
 */
export function createHttpEdgeAdapter(options: HttpEdgeOptions = {}): FastifyAdapter {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limits = { maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH };
  const invalid = (field: string, message: string) => invalidField(field, message, options.details);
  const adapter = new FastifyAdapter({
    ...options.fastify,
    bodyLimit,
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) =>
      void reply.status(frameworkErrorStatus(error)).send(frameworkErrorBody(error)),
    clientErrorHandler: answerClientError,
  });
  const fastify = adapter.getInstance();
  // Fastify's own text/plain parser and Nest's form parser would hand services input their DTOs never expect.
  fastify.removeAllContentTypeParsers();
  adapter.useBodyParser('application/json', false, { bodyLimit }, (_request, body: Buffer, done) => {
    try {
      done(null, parseJsonBody(body, limits, invalid));
    } catch (error) {
      done(error as Error);
    }
  });
  adapter.useBodyParser('*', false, { bodyLimit }, (request, _body, done) => {
    done(
      new UnsupportedMediaTypeException({
        message: `content-type ${request.headers['content-type'] ?? '(none)'} is not accepted: send application/json`,
        details: [{ field: 'content-type', message: 'must be application/json' }],
      }),
    );
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const problem = findUnsafeInput(request.query, limits);
    done(problem === undefined ? undefined : invalid(problem.field, problem.message));
  });
  return adapter;
}

function parseJsonBody(
  body: Buffer,
  limits: { maxDepth: number },
  invalid: (field: string, message: string) => BadRequestException,
): unknown {
  if (body.length === 0) throw invalid('body', 'must not be empty with content-type application/json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('body', 'is not valid JSON');
  }
  const problem = findUnsafeInput(parsed, limits);
  if (problem !== undefined) throw invalid(problem.field, problem.message);
  return parsed;
}

function frameworkErrorStatus(error: Error): number {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : HttpStatus.BAD_REQUEST;
}

/** Fastify's messages for these repeat the whole (possibly huge, possibly hostile) path; ours do not. */
function frameworkErrorBody(error: Error): ApiErrorBody {
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return bodyOf(HttpStatus.URI_TOO_LONG, 'a path parameter is longer than the server accepts');
  }
  if (code === 'FST_ERR_BAD_URL') return bodyOf(HttpStatus.BAD_REQUEST, 'the URL is not validly encoded');
  const status = frameworkErrorStatus(error);
  return toApiError(new HttpException(status < 500 ? error.message : 'Internal server error', status));
}

function bodyOf(statusCode: number, message: string): ApiErrorBody {
  return { statusCode, error: statusReason(statusCode), message, details: [] };
}

/**
 * Errors Node's HTTP parser raises before there is a request (oversized headers, a timeout, garbage): the
 * socket gets a raw response in the shared shape, then is closed, as Fastify's default handler does.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request headers are larger than the server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request was not received in time']
        : [400, 'the request is not valid HTTP'];
  const reason = STATUS_CODES[statusCode] ?? 'Error';
  const body = JSON.stringify({ statusCode, error: reason, message, details: [] });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${statusCode} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
