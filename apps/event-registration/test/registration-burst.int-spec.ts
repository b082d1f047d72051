import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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

const ctx = useTestContext(eventRegistrationHarness);

const CALLERS = 2_000;
const SEATS = 500;
const POOL_MAX = 20;
/* Longer than pg-pool's old 2 s give-up. */
const HOLD_AFTER_ALL_QUEUED_MS = 2_500;
/*
 * The request deadline in the pool's queue: the longest the config allows, not the production 15 s. The first
 * request has waited while the other 1,999 were queued, then the hold, then while the queue drained; on a slow,
 * loaded machine that came to over 15 s once, and the test is about the pool not giving up early, not about how
 * fast this machine drains 2,000 registrations.
 */
const REQUEST_DEADLINE_MS = 60_000;

/*
 * The opening minute of a popular event: 2,000 registrations for one event at once, through HTTP (the pool size
 * is the bench's). Every caller must get an answer (a seat or a waitlist place), never a 503 from a pool that
 * gave up before the request's deadline.
 * A loaded database is made explicit: the test holds every pooled connection until all 2,000 requests are
 * queued (for a connection, or behind the event's statement that waits for one: RegisterService batches
 * them), and a little longer, so each of them waits for over 2 s.
 */
describe('a registration rush on one event', () => {
  let testApp: TestApp;
  let users: string[];
  let tokens: string[];
  let organiserId: string;

  beforeAll(async () => {
    testApp = await startTestApp(ctx, {
      DB_POOL_MAX: String(POOL_MAX),
      DB_CONNECTION_TIMEOUT_MS: String(REQUEST_DEADLINE_MS),
    });
    organiserId = await seedOrganiser(ctx.pool, 'rush-organiser@example.com');
    users = await seedAttendees(ctx.pool, CALLERS, 'rush');
    tokens = await accessTokensFor(testApp, users);
  }, 60_000);

  afterAll(async () => {
    await testApp.close();
  });

  it('answers 2,000 concurrent callers with 201 (500 seated, 1,500 waitlisted), 0 errors, 0 oversold', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: SEATS });
    const pool = testApp.app.get<symbol, pg.Pool>(PRIMARY_POOL, { strict: false });
    const registrations = testApp.app.get(RegisterService);
    const held = await Promise.all(Array.from({ length: POOL_MAX }, () => pool.connect()));
    let answered = 0;
    const burst = registrationBurst(testApp.url, event.id, tokens, () => (answered += 1));
    while (pool.waitingCount + registrations.waitingCalls + answered < CALLERS)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, HOLD_AFTER_ALL_QUEUED_MS));
    for (const client of held) client.release();
    const { statuses } = await burst;
    const { rows } = await ctx.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY status ORDER BY status`,
      [event.id],
    );
    expect(describeStatuses(statuses)).toBe(`${CALLERS}× 201`);
    expect(rows).toEqual([
      { status: 'registered', n: SEATS },
      { status: 'waitlisted', n: CALLERS - SEATS },
    ]);
    // Each registration invalidates the event's stats; concurrent ones share one Redis INCR (CoalescedRuns):
    // 2,000 INCRs without it, about 200 with it on an idle machine.
    const statsVersion = Number(await ctx.redis.get(ctx.key(`event-stats:${event.id}:version`)));
    expect(statsVersion).toBeGreaterThanOrEqual(1);
    expect(statsVersion).toBeLessThan(CALLERS / 2);
  }, 120_000);
});
