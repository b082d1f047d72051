import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { accessTokensFor } from '../findings/support/access-tokens.js';
import { ApiClient, type ApiResult } from '../findings/support/api-client.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { remainingCapacity, seedEvent } from '../findings/support/seed-events.js';
import { seedUsers } from '../findings/support/seed.js';
import { seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { TEST_SECRETS } from '../findings/support/test-config.js';
import { parseConfig } from '../src/config.js';
import { buildDataSource } from '../src/database/data-source.factory.js';
import {
  ONE_LIVE_REGISTRATION_INDEX,
  OneLiveRegistrationPerUser1780100000000,
} from '../src/migrations/1780100000000-one-live-registration-per-user.js';

const ctx = useTestContext(eventRegistrationHarness);

interface Registration {
  id: string;
  status: string;
}

const STORM_USERS = 200;
const STORM_SEATS = 10;
/** Sequential cancels after the storm, each checked to hand its seat to the head of the waitlist. */
const DRAIN_CANCELS = 20;

/*
 * A cancelled registration frees the user as well as the seat: registering again is a new registration under
 * the same capacity rules (a seat if one is free and nobody waits, else the end of the waitlist). Only one
 * live (not cancelled) registration per user per event, held by the database under any concurrency.
 */
describe('registering again after a cancellation', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let organiserId: string;

  const register = (eventId: string, token: string): Promise<ApiResult<Registration>> =>
    api.call<Registration>('POST', `/events/${eventId}/registrations`, undefined, token);
  const cancel = (registrationId: string, token: string): Promise<ApiResult<Registration>> =>
    api.call<Registration>('DELETE', `/registrations/${registrationId}`, undefined, token);
  const attendees = async (count: number) => {
    const ids = (await seedUsers(ctx.pool, count)).map((user) => user.id);
    return { ids, tokens: await accessTokensFor(testApp, ids) };
  };
  const statusCounts = async (eventId: string) => {
    const { rows } = await ctx.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY status',
      [eventId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  };
  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    organiserId = await seedOrganiser(ctx.pool, 're-registration-organiser@example.com');
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('register → cancel → register again answers 201 with a seat; a live duplicate is still 409', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 5 });
    const { tokens } = await attendees(3);
    const again: number[] = [];
    for (const token of tokens) {
      const first = await register(event.id, token);
      expect(first).toMatchObject({ status: 201, body: { status: 'registered' } });
      expect((await cancel(first.body.id, token)).body.status).toBe('cancelled');
      const second = await register(event.id, token);
      again.push(second.status);
      if (second.status === 201) {
        expect(second.body).toMatchObject({ status: 'registered' });
        expect(second.body.id).not.toBe(first.body.id);
      }
    }
    const reRegistered = again.filter((status) => status === 201).length;
    ctx.log(`re-registered after a cancel: ${reRegistered}/${tokens.length} (answers ${again.join(', ')})`);
    expect(again).toEqual([201, 201, 201]);
    expect((await register(event.id, tokens[0]!)).status).toBe(409);
    expect(await statusCounts(event.id)).toEqual({ cancelled: 3, registered: 3 });
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(2);
  });

  it(`a storm of ${STORM_USERS} users cancelling and registering again keeps capacity exact and the waitlist in order`, async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: STORM_SEATS });
    const { ids, tokens } = await attendees(STORM_USERS);
    // In order: the first 10 take the seats, the other 190 wait.
    const firstRegistrations: string[] = [];
    for (const token of tokens) {
      const result = await register(event.id, token);
      expect(result.status).toBe(201);
      firstRegistrations.push(result.body.id);
    }

    // Every user at once: cancel, then register twice concurrently (a double submit): exactly one may win.
    const outcomes = await Promise.all(
      tokens.map(async (token, i) => {
        const cancelled = await cancel(firstRegistrations[i]!, token);
        const pair = await Promise.all([register(event.id, token), register(event.id, token)]);
        return { cancelled: cancelled.status, answers: pair.map((result) => result.status).sort() };
      }),
    );
    const wrong = outcomes.filter(
      (outcome) => outcome.cancelled !== 200 || outcome.answers.join() !== '201,409',
    );
    expect(wrong).toEqual([]);

    const { rows: live } = await ctx.pool.query<{ user_id: string; n: number }>(
      `SELECT user_id, count(*)::int AS n FROM registrations
        WHERE event_id = $1 AND status <> 'cancelled' GROUP BY user_id`,
      [event.id],
    );
    expect(live.filter((row) => row.n > 1)).toEqual([]);
    expect(live.map((row) => row.user_id).sort()).toEqual([...ids].sort());
    // Capacity exact: every seat taken, none oversold, and everyone else waiting.
    expect(await statusCounts(event.id)).toEqual({
      cancelled: STORM_USERS,
      registered: STORM_SEATS,
      waitlisted: STORM_USERS - STORM_SEATS,
    });
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(0);

    // The waitlist the storm left is served in order: each freed seat goes to its head.
    const tokenOf = new Map(ids.map((id, i) => [id, tokens[i]!]));
    for (let i = 0; i < DRAIN_CANCELS; i += 1) {
      const { rows } = await ctx.pool.query<{ id: string; user_id: string; status: string }>(
        `SELECT id, user_id, status FROM registrations WHERE event_id = $1 AND status IN ('registered', 'waitlisted')
          ORDER BY status = 'waitlisted', registered_at, id`,
        [event.id],
      );
      const seated = rows[0]!;
      const head = rows.find((row) => row.status === 'waitlisted')!;
      expect((await cancel(seated.id, tokenOf.get(seated.user_id)!)).status).toBe(200);
      const { rows: after } = await ctx.pool.query<{ status: string }>(
        'SELECT status FROM registrations WHERE id = $1',
        [head.id],
      );
      expect(after[0]!.status).toBe('registered');
    }
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(0);
  });

  it('the migration indexes every partition, attached to one valid parent index; undoing it needs the re-registrations gone', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 5 });
    const [user] = await seedUsers(ctx.pool, 1);
    await ctx.pool.query(
      `INSERT INTO registrations (event_id, user_id, event_starts_at, status)
       SELECT $1, $2, $3, status FROM unnest(ARRAY['cancelled', 'registered']) AS status`,
      [event.id, user!.id, event.startsAt],
    );
    const config = parseConfig({ ...TEST_SECRETS, DATABASE_URL: ctx.databaseUrl });
    const dataSource = await buildDataSource(config.database, {
      role: 'maintenance',
      poolMax: 1,
    }).initialize();
    const runner = dataSource.createQueryRunner();
    const migration = new OneLiveRegistrationPerUser1780100000000();
    try {
      // Undoing is refused while a user has registered again after a cancel…
      await expect(migration.down(runner)).rejects.toThrow(/could not create unique index/);
      // …and works once those cancelled rows are gone.
      await runner.query(`DELETE FROM registrations WHERE status = 'cancelled'`);
      await migration.down(runner);
      // Partitions made while the old key stood (besides those partition maintenance already made).
      await runner.query(`CREATE TABLE registrations_y2031m01 PARTITION OF registrations
                            FOR VALUES FROM ('2031-01-01') TO ('2031-02-01')`);
      await runner.query(`CREATE TABLE registrations_y2031m02 PARTITION OF registrations
                            FOR VALUES FROM ('2031-02-01') TO ('2031-03-01')`);
      await migration.up(runner);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
    const { rows } = await ctx.pool.query<{ partition: string; valid: boolean; unique: boolean }>(
      `SELECT t.relname AS partition, i.indisvalid AS valid, i.indisunique AS unique
         FROM pg_inherits p JOIN pg_index i ON i.indexrelid = p.inhrelid JOIN pg_class t ON t.oid = i.indrelid
        WHERE p.inhparent = $1::regclass ORDER BY t.relname`,
      [ONE_LIVE_REGISTRATION_INDEX],
    );
    const partitions = await ctx.pool.query<{ partition: string }>(
      `SELECT c.relname AS partition FROM pg_inherits p JOIN pg_class c ON c.oid = p.inhrelid
        WHERE p.inhparent = 'registrations'::regclass ORDER BY c.relname`,
    );
    expect(partitions.rows.map((row) => row.partition)).toEqual(
      expect.arrayContaining(['registrations_default', 'registrations_y2031m01', 'registrations_y2031m02']),
    );
    expect(rows).toEqual(partitions.rows.map(({ partition }) => ({ partition, valid: true, unique: true })));
    const parent = await ctx.pool.query<{ valid: boolean; unique: boolean }>(
      'SELECT indisvalid AS valid, indisunique AS unique FROM pg_index WHERE indexrelid = $1::regclass',
      [ONE_LIVE_REGISTRATION_INDEX],
    );
    expect(parent.rows).toEqual([{ valid: true, unique: true }]);
    const oldKey = await ctx.pool.query(
      `SELECT 1 FROM pg_constraint WHERE conname = 'registrations_one_per_user_per_event'`,
    );
    expect(oldKey.rowCount).toBe(0);
  });
});
