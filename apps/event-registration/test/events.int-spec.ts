import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { partitionName } from '@remedy/partitioning';
import { useTestContext } from '@remedy/testing';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import {
  bearer,
  seedEvents,
  seedRegistrations,
  seedUsers,
  type SeededUser,
} from '../findings/support/seed.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

interface EventBody {
  id: string;
  status: string;
  version: number;
  startDatetime: string;
  remainingCapacity: number;
  capacity: number;
}
interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: { field: string; message: string }[];
}
interface PageBody {
  data: EventBody[];
  pagination: { nextCursor: string | null; hasMore: boolean };
}

describe('events API', () => {
  let testApp: TestApp;
  let organiser: SeededUser;
  let otherOrganiser: SeededUser;
  let attendee: SeededUser;
  let asOrganiser: Record<string, string>;
  let asAttendee: Record<string, string>;

  const call = async <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${testApp.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  const draft = {
    title: 'Quarterly all-hands',
    category: 'seminar',
    startDatetime: '2031-05-01T09:00:00.000Z',
    endDatetime: '2031-05-01T11:00:00.000Z',
    timezone: 'Asia/Tokyo',
    capacity: 50,
  };

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    [organiser, otherOrganiser] = (await seedUsers(ctx.pool, 2, { role: 'organiser' })) as [
      SeededUser,
      SeededUser,
    ];
    [attendee] = (await seedUsers(ctx.pool, 1)) as [SeededUser];
    asOrganiser = await bearer(testApp.app, organiser);
    asAttendee = await bearer(testApp.app, attendee);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('lets an organiser create, publish, update and cancel an event', async () => {
    const created = await call<EventBody>('POST', '/events', asOrganiser, draft);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, capacity: 50, remainingCapacity: 50 });
    const id = created.body.id;

    const published = await call<EventBody>('POST', `/events/${id}/publish`, asOrganiser, { version: 1 });
    expect(published.body).toMatchObject({ status: 'published', version: 2 });

    const updated = await call<EventBody>('PATCH', `/events/${id}`, asOrganiser, {
      version: 2,
      capacity: 80,
    });
    expect(updated.body).toMatchObject({ capacity: 80, remainingCapacity: 80, version: 3 });

    const stale = await call<ErrorBody>('PATCH', `/events/${id}`, asOrganiser, { version: 2, title: 'x' });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toEqual([
      { field: 'version', message: expect.stringContaining('version 3') as unknown as string },
    ]);

    const cancelled = await call<EventBody>('POST', `/events/${id}/cancel`, asOrganiser, { version: 3 });
    expect(cancelled.body.status).toBe('cancelled');
    const republish = await call<ErrorBody>('POST', `/events/${id}/publish`, asOrganiser, { version: 4 });
    expect(republish.status).toBe(409);
  });

  it('keeps attendees and other organisers out of organiser actions', async () => {
    expect((await call<ErrorBody>('POST', '/events', asAttendee, draft)).status).toBe(403);
    const created = await call<EventBody>('POST', '/events', asOrganiser, draft);
    const foreign = await call<ErrorBody>(
      'PATCH',
      `/events/${created.body.id}`,
      await bearer(testApp.app, otherOrganiser),
      {
        version: 1,
        title: 'mine now',
      },
    );
    expect(foreign.status).toBe(403);
    expect((await call<ErrorBody>('GET', '/events', { 'content-type': 'application/json' })).status).toBe(
      401,
    );
  });

  it('shows a draft to its organiser only: another organiser or an attendee gets 404', async () => {
    const created = await call<EventBody>('POST', '/events', asOrganiser, draft);
    const path = `/events/${created.body.id}`;
    expect((await call<EventBody>('GET', path, asOrganiser)).status).toBe(200);
    const foreign = await call<ErrorBody>('GET', path, await bearer(testApp.app, otherOrganiser));
    expect(foreign.status).toBe(404);
    expect((await call<ErrorBody>('GET', path, asAttendee)).status).toBe(404);
    const published = await call<EventBody>('POST', `${path}/publish`, asOrganiser, { version: 1 });
    expect(published.status).toBe(200);
    expect((await call<EventBody>('GET', path, asAttendee)).status).toBe(200);
  });

  it('answers bad input with field-level 400s', async () => {
    const bad = await call<ErrorBody>('POST', '/events', asOrganiser, {
      ...draft,
      capacity: 0,
      timezone: 'Mars/Base',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail) => detail.field).sort()).toEqual(['capacity', 'extra', 'timezone']);
    const backwards = await call<ErrorBody>('POST', '/events', asOrganiser, {
      ...draft,
      endDatetime: draft.startDatetime,
    });
    expect(backwards.body.details).toEqual([
      { field: 'endDatetime', message: 'must be after startDatetime' },
    ]);
    const badId = await call<ErrorBody>('GET', '/events/not-a-uuid', asAttendee);
    expect(badId).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'id: must be a UUID',
        details: [{ field: 'id', message: 'must be a UUID' }],
      },
    });
    const badCursor = await call<ErrorBody>('GET', '/events?cursor=garbage', asAttendee);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.details[0]?.field).toBe('cursor');
    const tooBig = await call<ErrorBody>('GET', '/events?limit=1000', asAttendee);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.details[0]?.field).toBe('limit');
  });

  it('walks a filtered list in keyset pages, each page at most the limit', async () => {
    const start = new Date('2032-01-01T00:00:00Z');
    await seedEvents(ctx.pool, organiser.id, 45, {
      firstStart: start,
      categories: ['workshop', 'social', 'talk'],
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = new URLSearchParams({
        category: 'talk',
        from: '2032-01-01T00:00:00.000Z',
        to: '2033-01-01T00:00:00.000Z',
        limit: '4',
      });
      if (cursor) query.set('cursor', cursor);
      const page = await call<PageBody>('GET', `/events?${query.toString()}`, asAttendee);
      expect(page.body.data.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.data.map((event) => event.id));
      cursor = page.body.pagination.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    expect(pages).toBe(4);
  });

  it('refuses a list cursor under another filter or on another list, with a 400 naming the cursor', async () => {
    await seedEvents(ctx.pool, organiser.id, 4, { categories: ['cursor-a', 'cursor-b'] });
    const first = await call<PageBody>('GET', '/events?category=cursor-a&limit=1', asAttendee);
    const cursor = first.body.pagination.nextCursor;
    expect(cursor).not.toBeNull();
    const same = await call<PageBody>(
      'GET',
      `/events?category=cursor-a&limit=1&cursor=${cursor}`,
      asAttendee,
    );
    expect(same.status).toBe(200);

    const otherFilter = await call<ErrorBody>(
      'GET',
      `/events?category=cursor-b&cursor=${cursor}`,
      asAttendee,
    );
    expect(otherFilter).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message:
          'cursor: was issued for other filters; send the filters of the page it came from, or restart from the first page',
        details: [
          {
            field: 'cursor',
            message:
              'was issued for other filters; send the filters of the page it came from, or restart from the first page',
          },
        ],
      },
    });
    const noFilter = await call<ErrorBody>('GET', `/events?cursor=${cursor}`, asAttendee);
    expect(noFilter.status).toBe(400);
    // Same sort-key types (timestamptz, uuid), so only the scope tells the two lists apart.
    const otherList = await call<ErrorBody>('GET', `/me/registrations?cursor=${cursor}`, asAttendee);
    expect(otherList.status).toBe(400);
    expect(otherList.body.details).toEqual([
      { field: 'cursor', message: 'was issued for another list; restart from the first page of this one' },
    ]);
  });

  it('serves cached list pages until an event write retires them', async () => {
    const query = '/events?category=cache-probe';
    expect((await call<PageBody>('GET', query, asAttendee)).body.data).toHaveLength(0);
    const created = await call<EventBody>('POST', '/events', asOrganiser, {
      ...draft,
      category: 'cache-probe',
    });
    await call('POST', `/events/${created.body.id}/publish`, asOrganiser, { version: 1 });
    expect((await call<PageBody>('GET', query, asAttendee)).body.data.map((event) => event.id)).toEqual([
      created.body.id,
    ]);
  });

  it('moves registrations to the new partition when an event is rescheduled', async () => {
    const monthsAhead = (months: number): Date => {
      const date = new Date();
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 10, 10));
    };
    const [event] = await seedEvents(ctx.pool, organiser.id, 1, { firstStart: monthsAhead(2) });
    const users = await seedUsers(ctx.pool, 6);
    await seedRegistrations(
      ctx.pool,
      event!.id,
      users.map((user) => user.id),
    );
    const newStart = monthsAhead(4);
    const moved = await call<EventBody>('PATCH', `/events/${event!.id}`, asOrganiser, {
      version: 1,
      startDatetime: newStart.toISOString(),
      endDatetime: new Date(newStart.getTime() + 7_200_000).toISOString(),
    });
    expect(moved.status).toBe(200);
    const { rows } = await ctx.pool.query<{ partition: string; n: number }>(
      `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY 1`,
      [event!.id],
    );
    const monthStart = new Date(Date.UTC(newStart.getUTCFullYear(), newStart.getUTCMonth(), 1));
    expect(rows).toEqual([{ partition: partitionName('registrations', monthStart), n: 6 }]);
  });
});
