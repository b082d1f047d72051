import { describe, expect, it } from '@jest/globals';
import { BadRequestException, ConflictException, HttpException, type ArgumentsHost } from '@nestjs/common';
import { PoolExhaustedError } from '@remedy/pooling';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { ApiErrorFilter, toApiError, type ApiErrorBody } from '../src/index.js';

interface SentReply {
  status?: number;
  headers: Record<string, string>;
  body?: ApiErrorBody;
}

/** Runs the filter on `exception` with a reply that records what it was given. */
function filter(exception: unknown, filterUnderTest = new ApiErrorFilter()): SentReply {
  const sent: SentReply = { headers: {} };
  const reply = {
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    status(code: number) {
      sent.status = code;
      return reply;
    },
    send(body: ApiErrorBody) {
      sent.body = body;
      return reply;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  filterUnderTest.catch(exception, host);
  return sent;
}

function pgError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, 0, 'error');
  error.code = code;
  return error;
}

function typeormError(code: string, message: string): QueryFailedError {
  return new QueryFailedError('INSERT INTO patients …', [], pgError(code, message));
}

describe('ApiErrorFilter: transient database errors', () => {
  it.each([
    ['40P01', 'deadlock detected', /^deadlock detected/],
    ['40001', 'could not serialize access due to concurrent update', /^serialization failure/],
    ['55P03', 'canceling statement due to lock timeout', /^lock not available/],
    ['57014', 'canceling statement due to statement timeout', /^query cancelled/],
  ])('SQLSTATE %s from pg is a 503 with Retry-After and the reason', (code, message, reason) => {
    const sent = filter(pgError(code, message));
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('1');
    expect(sent.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(reason),
    });
  });

  it('the same codes through TypeORM are a 503 too', () => {
    const sent = filter(typeormError('40P01', 'deadlock detected'));
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('1');
  });

  it('an exhausted pool is a 503 naming the pool', () => {
    const sent = filter(new PoolExhaustedError('api', 10, 200));
    expect(sent.status).toBe(503);
    expect(sent.body?.message).toBe(
      "database busy: pool 'api' exhausted: all 10 connections busy for 200 ms",
    );
  });

  it('a connection the server was too slow to open is a 503 that says so', () => {
    // pg-pool's error when opening a connection ran past its deadline, as `PgPool` raises it.
    const sent = filter(new Error('Connection terminated due to connection timeout'));
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('1');
    expect(sent.body?.message).toBe('database unavailable: opening a connection took too long');
  });

  it('Retry-After is configurable', () => {
    const sent = filter(new PoolExhaustedError('api', 10, 200), new ApiErrorFilter({ retryAfterSeconds: 5 }));
    expect(sent.headers['retry-after']).toBe('5');
  });

  it('an error that carries its own wait (a 429 of a login throttle) sends that as Retry-After', () => {
    const throttled = Object.assign(new HttpException('too many failed login attempts', 429), {
      retryAfterSeconds: 840,
    });
    const sent = filter(throttled);
    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('840');
  });
});

describe('ApiErrorFilter: content type', () => {
  it('answers JSON even where the route declared another content type (an HTML page with a bad parameter)', () => {
    const sent = filter(new BadRequestException('wardId: must be a UUID'));
    expect(sent.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(sent.status).toBe(400);
  });
});

describe('ApiErrorFilter: constraint and format errors', () => {
  it.each([
    ['23505', 409, 'Conflict', 'a row with this unique value already exists'],
    ['23503', 422, 'Unprocessable Entity', 'a referenced row does not exist'],
    ['23514', 422, 'Unprocessable Entity', 'the values break a table constraint'],
    ['22P02', 400, 'Bad Request', 'a value has the wrong format'],
  ])('SQLSTATE %s is a %i with a readable message', (code, statusCode, error, message) => {
    const leaky = 'duplicate key value violates unique constraint "patients_mrn_key"';
    for (const exception of [typeormError(code, leaky), pgError(code, leaky)]) {
      const sent = filter(exception);
      expect(sent.status).toBe(statusCode);
      expect(sent.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
      expect(sent.body).toEqual({ statusCode, error, message, details: [] });
    }
  });

  it('any other database error is a 500 without internals or Retry-After', () => {
    const sent = filter(pgError('42P01', 'relation "patients" does not exist'));
    expect(sent.status).toBe(500);
    expect(sent.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    expect(sent.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      details: [],
    });
  });
});

describe('toApiError: client errors', () => {
  it('keeps an HttpException status, its error and its details', () => {
    const details = [{ field: 'version', message: 'is 3, not 2' }];
    expect(toApiError(new ConflictException({ message: 'stale version', details }))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'stale version',
      details,
    });
    expect(toApiError(new BadRequestException('no'))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'no',
      details: [],
    });
  });

  it("keeps a Fastify client error's 4xx", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(toApiError(tooLarge)).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is too large',
      details: [],
    });
  });

  it('a plain Error is a 500 that does not repeat its message', () => {
    expect(toApiError(new Error('secret connection string'))).toMatchObject({
      statusCode: 500,
      message: 'Internal server error',
    });
  });
});
