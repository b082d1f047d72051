import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queryEvents } from '@remedy/pooling';
import { useTestContext } from '@remedy/testing';
import { accessTokensFor } from '../findings/support/access-tokens.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { describeStatuses, registrationBurst } from '../findings/support/registration-burst.js';
import { seedEvent } from '../findings/support/seed-events.js';
import { seedAttendees, seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { PRIMARY_POOL } from '../src/registrations/primary-pool.provider.js';
import { RegisterService } from '../src/registrations/register.service.js';
import type pg from 'pg';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ctx = useTestContext(eventRegistrationHarness);

const CALLERS = 500;
const SEATS = 100;
const POOL_MAX = 20;
const MAX_BATCH = 100;

/*
 * The registration path's cost in a rush is per statement (a lock of the event row, a commit, a round trip):
 * RegisterService writes the callers of one event that arrive while its statement runs with the next
 * statement. Counted here are the statements that insert registrations, for 500 callers at once over HTTP.
 * How many callers arrive during one statement depends on the machine, so the test makes it certain: it
 * holds every pooled connection until all 500 requests wait (for a connection, or behind their event's
 * statement), then lets go.
 */
describe('registrations of one event in a rush', () => {
  let testApp: TestApp;
  let tokens: string[];
  let organiserId: string;

  beforeAll(async () => {
    testApp = await startTestApp(ctx, { DB_POOL_MAX: String(POOL_MAX) });
    organiserId = await seedOrganiser(ctx.pool, 'batch-organiser@example.com');
    tokens = await accessTokensFor(testApp, await seedAttendees(ctx.pool, CALLERS, 'batch'));
  }, 60_000);

  afterAll(async () => {
    await testApp.close();
  });

  it('are written by a few statements, not one per caller: seats first, then the waitlist, none oversold', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: SEATS });
    let registrationStatements = 0;
    const unsubscribe = queryEvents.subscribe((query) => {
      if (query.sql.includes('INSERT INTO registrations')) registrationStatements += 1;
    });
    const pool = testApp.app.get<symbol, pg.Pool>(PRIMARY_POOL, { strict: false });
    const registrations = testApp.app.get(RegisterService);
    const held = await Promise.all(Array.from({ length: POOL_MAX }, () => pool.connect()));
    let statuses: Map<number, number>;
    try {
      const burst = registrationBurst(testApp.url, event.id, tokens);
      while (pool.waitingCount + registrations.waitingCalls < CALLERS) await pause(20);
      for (const client of held.splice(0)) client.release();
      ({ statuses } = await burst);
    } finally {
      for (const client of held) client.release();
      unsubscribe();
    }
    const { rows } = await ctx.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY status ORDER BY status`,
      [event.id],
    );
    expect(describeStatuses(statuses)).toBe(`${CALLERS}× 201`);
    expect(rows).toEqual([
      { status: 'registered', n: SEATS },
      { status: 'waitlisted', n: CALLERS - SEATS },
    ]);
    // One statement per caller without batching; with it, the first caller's alone, then the other 499 in
    // batches of at most 100.
    expect(registrationStatements).toBe(1 + Math.ceil((CALLERS - 1) / MAX_BATCH));
  }, 60_000);
});
