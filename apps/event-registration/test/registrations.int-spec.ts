import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { remainingCapacity, seedEvent } from '../findings/support/seed-events.js';
import { seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

interface Registration {
  id: string;
  status: string;
  version: number;
}

describe('registrations', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let organiserId: string;
  let counter = 0;

  const attendee = (): Promise<SessionBody> => api.signup(`reg-${(counter += 1)}@example.com`);
  const register = (eventId: string, session: SessionBody) =>
    api.call<Registration>('POST', `/events/${eventId}/registrations`, undefined, session.accessToken);
  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    organiserId = await seedOrganiser(ctx.pool, 'reg-organiser@example.com');
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('takes a seat, writes the confirmation to the outbox, and refuses a duplicate with 409', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 5 });
    const alice = await attendee();
    const first = await register(event.id, alice);
    expect(first).toMatchObject({ status: 201, body: { status: 'registered', version: 1 } });
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(4);
    const outbox = await ctx.pool.query(
      `SELECT topic, payload FROM outbox WHERE payload->>'registrationId' = $1`,
      [first.body.id],
    );
    expect(outbox.rows).toEqual([
      { topic: 'registration.confirmed', payload: expect.objectContaining({ eventId: event.id }) },
    ]);
    const again = await register(event.id, alice);
    expect(again.status).toBe(409);
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(4);
  });

  it('waitlists when full and promotes the first waitlisted on a cancel, in order', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 1 });
    const [a, b, c] = [await attendee(), await attendee(), await attendee()];
    const seat = await register(event.id, a);
    const wait1 = await register(event.id, b);
    const wait2 = await register(event.id, c);
    expect([seat.body.status, wait1.body.status, wait2.body.status]).toEqual([
      'registered',
      'waitlisted',
      'waitlisted',
    ]);
    const cancelled = await api.call<Registration>(
      'DELETE',
      `/registrations/${seat.body.id}`,
      undefined,
      a.accessToken,
    );
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled', version: 2 } });
    const mine = await api.call<{ data: Registration[] }>(
      'GET',
      '/me/registrations',
      undefined,
      b.accessToken,
    );
    expect(mine.body.data[0]).toMatchObject({ id: wait1.body.id, status: 'registered' });
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(0);
    // Cancelling a waitlisted registration frees no seat; cancelling the promoted one, with nobody waiting, does.
    await api.call('DELETE', `/registrations/${wait2.body.id}`, undefined, c.accessToken);
    await api.call('DELETE', `/registrations/${wait1.body.id}`, undefined, b.accessToken);
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(1);
  });

  it('concurrent cancels and registrations keep every seat filled while anyone waits', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 10 });
    const seated: { session: SessionBody; id: string }[] = [];
    for (let i = 0; i < 10; i += 1) {
      const session = await attendee();
      seated.push({ session, id: (await register(event.id, session)).body.id });
    }
    for (let i = 0; i < 5; i += 1) await register(event.id, await attendee());
    const newcomers = await Promise.all(Array.from({ length: 10 }, () => attendee()));
    await Promise.all([
      ...seated
        .slice(0, 5)
        .map(({ session, id }) => api.call('DELETE', `/registrations/${id}`, undefined, session.accessToken)),
      ...newcomers.map((session) => register(event.id, session)),
    ]);
    const { rows } = await ctx.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY status ORDER BY status',
      [event.id],
    );
    expect(Object.fromEntries(rows.map((row) => [row.status, row.n]))).toEqual({
      cancelled: 5,
      registered: 10,
      waitlisted: 10,
    });
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(0);
  });

  it('a capacity raise promotes the waitlist in order; concurrent newcomers never get ahead (storm)', async () => {
    const organiser = await api.login('reg-organiser@example.com');
    for (let round = 0; round < 5; round += 1) {
      const event = await seedEvent(ctx.pool, { organiserId, capacity: 4 });
      for (let i = 0; i < 4; i += 1) await register(event.id, await attendee());
      const waiters: string[] = [];
      for (let i = 0; i < 6; i += 1) waiters.push((await register(event.id, await attendee())).body.id);
      const newcomers = await Promise.all(Array.from({ length: 8 }, () => attendee()));
      // Two raises of 2 seats each, racing 8 newcomers: the 4 new seats belong to the first 4 waiters.
      const raise = async (): Promise<void> => {
        for (;;) {
          const { version, capacity } = (
            await api.call<{ version: number; capacity: number }>(
              'GET',
              `/events/${event.id}`,
              undefined,
              organiser.accessToken,
            )
          ).body;
          const patched = await api.call(
            'PATCH',
            `/events/${event.id}`,
            { version, capacity: capacity + 2 },
            organiser.accessToken,
          );
          if (patched.status === 200) return;
          expect(patched.status).toBe(409);
        }
      };
      const newcomerResults = await Promise.all([
        raise(),
        raise(),
        ...newcomers.map((session) => register(event.id, session)),
      ]);
      expect(newcomerResults.slice(2).map((result) => result && result.body.status)).toEqual(
        Array.from({ length: 8 }, () => 'waitlisted'),
      );
      const { rows } = await ctx.pool.query<{ id: string; status: string }>(
        'SELECT id, status FROM registrations WHERE id = ANY($1::uuid[]) ORDER BY registered_at, id',
        [waiters],
      );
      expect(rows.map((row) => row.status)).toEqual([
        'registered',
        'registered',
        'registered',
        'registered',
        'waitlisted',
        'waitlisted',
      ]);
      expect(await remainingCapacity(ctx.pool, event.id)).toBe(0);
      const promoted = await ctx.pool.query(
        `SELECT 1 FROM outbox WHERE topic = 'registration.promoted' AND payload->>'eventId' = $1`,
        [event.id],
      );
      expect(promoted.rowCount).toBe(4);
    }
  });

  it('cancelling twice is a no-op; another user cannot see or cancel it', async () => {
    const event = await seedEvent(ctx.pool, { organiserId, capacity: 3 });
    const [a, b] = [await attendee(), await attendee()];
    const reg = await register(event.id, a);
    expect((await api.call('DELETE', `/registrations/${reg.body.id}`, undefined, b.accessToken)).status).toBe(
      404,
    );
    await api.call('DELETE', `/registrations/${reg.body.id}`, undefined, a.accessToken);
    const twice = await api.call<Registration>(
      'DELETE',
      `/registrations/${reg.body.id}`,
      undefined,
      a.accessToken,
    );
    expect(twice).toMatchObject({ status: 200, body: { status: 'cancelled', version: 2 } });
    expect(await remainingCapacity(ctx.pool, event.id)).toBe(3);
  });

  it('answers 404 for an unknown event, 409 for a draft, 400 for a bad id, 401 without a token', async () => {
    const a = await attendee();
    expect((await register('00000000-0000-4000-8000-000000000000', a)).status).toBe(404);
    const draft = await seedEvent(ctx.pool, { organiserId, capacity: 3, status: 'draft' });
    const refused = await register(draft.id, a);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ message: expect.stringContaining('draft') });
    expect((await register('not-a-uuid', a)).status).toBe(400);
    expect((await api.call('POST', `/events/${draft.id}/registrations`)).status).toBe(401);
  });

  it('pages /me/registrations newest first with a cursor', async () => {
    const a = await attendee();
    for (let i = 0; i < 5; i += 1) {
      const event = await seedEvent(ctx.pool, { organiserId, capacity: 2, title: `E${i}` });
      await register(event.id, a);
    }
    const page1 = await api.call<{ data: { eventTitle: string }[]; pagination: { nextCursor: string } }>(
      'GET',
      '/me/registrations?limit=3',
      undefined,
      a.accessToken,
    );
    expect(page1.body.data.map((r) => r.eventTitle)).toEqual(['E4', 'E3', 'E2']);
    const page2 = await api.call<{ data: { eventTitle: string }[]; pagination: { hasMore: boolean } }>(
      'GET',
      `/me/registrations?limit=3&cursor=${page1.body.pagination.nextCursor}`,
      undefined,
      a.accessToken,
    );
    expect(page2.body.data.map((r) => r.eventTitle)).toEqual(['E1', 'E0']);
    expect(page2.body.pagination.hasMore).toBe(false);
    expect((await api.call('GET', '/me/registrations?limit=500', undefined, a.accessToken)).status).toBe(400);
  });
});
