import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { ApiErrorFilter } from '../src/http/api-error.filter.js';

interface SentReply {
  status?: number;
  headers: Record<string, string>;
  body?: { statusCode: number; error: string; message: string };
}

/** Runs the filter on `exception` with a reply that records what it was given. */
function filter(exception: unknown): SentReply {
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
    send(body: SentReply['body']) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ApiErrorFilter().catch(exception, host);
  return sent;
}

function pgError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, 0, 'error');
  error.code = code;
  return error;
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
    const sent = filter(new QueryFailedError('UPDATE events …', [], pgError('40P01', 'deadlock detected')));
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('1');
  });

  it('any other database error stays a 500 without internals or Retry-After', () => {
    const sent = filter(pgError('23503', 'insert or update violates foreign key constraint'));
    expect(sent.status).toBe(500);
    expect(sent.headers).toEqual({});
    expect(sent.body?.message).toBe('Internal server error');
  });
});
