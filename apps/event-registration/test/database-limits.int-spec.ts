import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataSourcePools } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { DataSource } from 'typeorm';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from '../findings/support/seed.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

describe('database limits answer with a 503 and a reason (events:C-3, S-4)', () => {
  let testApp: TestApp;
  let organiser: SeededUser;
  let eventId: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    testApp = await startTestApp(ctx, {
      DB_POOL_MAX: '1',
      DB_CONNECTION_TIMEOUT_MS: '200',
      DB_STATEMENT_TIMEOUT_MS: '1000',
    });
    [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
    eventId = (await seedEvents(ctx.pool, organiser.id, 1))[0]!.id;
    headers = await bearer(testApp.app, organiser);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('fails fast with a clear error when every pooled connection is busy', async () => {
    // Hold the pool's only connection explicitly (checked out, no timer involved) before the request
    // arrives: the request can only wait for it, and must give up after the 200 ms connection timeout.
    const [pool] = dataSourcePools(testApp.app.get(DataSource));
    const holder = testApp.app.get(DataSource).createQueryRunner();
    await holder.connect();
    try {
      expect([pool?.totalCount, pool?.idleCount]).toEqual([1, 0]);
      const response = await fetch(`${testApp.url}/events/${eventId}`, { headers });
      const body = (await response.json()) as ErrorBody;
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(body.message).toMatch(
        /pool 'event-registration-api' exhausted: all 1 connections busy for 200 ms/,
      );
    } finally {
      await holder.release();
    }
  });

  it('cancels a statement stuck past statement_timeout and says so', async () => {
    const blocker = await ctx.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [eventId]);
      const response = await fetch(`${testApp.url}/events/${eventId}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ version: 1, title: 'Renamed' }),
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorBody).message).toBe(
        'query cancelled: it ran past the statement timeout',
      );
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
  });
});
