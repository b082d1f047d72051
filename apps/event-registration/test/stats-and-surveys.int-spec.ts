import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryCounter } from '@remedy/pooling';
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
import { StatsCache } from '../src/stats/stats.cache.js';
import { StatsService } from '../src/stats/stats.service.js';

const ctx = useTestContext(eventRegistrationHarness);

interface Stats {
  total: number;
  registered: number;
  checkedIn: number;
  cancelled: number;
  waitlisted: number;
  surveyResponses: number;
  surveyResponseRate: number;
  byDepartment: { department: string; registrations: number; checkedIn: number }[];
}

describe('event stats and surveys', () => {
  let testApp: TestApp;
  let organiser: SeededUser;
  let attendees: SeededUser[];
  let eventId: string;
  let asOrganiser: Record<string, string>;

  const call = async <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${testApp.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
    attendees = await seedUsers(ctx.pool, 30, { departments: ['Sales', 'Engineering', 'HR'] });
    const [event] = await seedEvents(ctx.pool, organiser.id, 1);
    eventId = event!.id;
    await seedRegistrations(
      ctx.pool,
      eventId,
      attendees.map((user) => user.id),
    );
    asOrganiser = await bearer(testApp.app, organiser);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('counts every status and department in SQL', async () => {
    const { status, body } = await call<Stats>('GET', `/events/${eventId}/stats`, asOrganiser);
    expect(status).toBe(200);
    // 30 users: n%10=0 cancelled (3), n%7=0 waitlisted (7, 14, 21, 28), n%3=0 checked in (3 6 9 12 15 18 24 27)
    expect(body).toMatchObject({
      total: 30,
      cancelled: 3,
      waitlisted: 4,
      checkedIn: 8,
      registered: 23,
      surveyResponses: 0,
    });
    expect(body.byDepartment.map((row) => row.department)).toEqual(['Engineering', 'HR', 'Sales']);
    expect(body.byDepartment.reduce((sum, row) => sum + row.registrations, 0)).toBe(27);
  });

  it('serves repeated reads from the cache and recomputes after an invalidation', async () => {
    const service = testApp.app.get(StatsService);
    await service.forOrganiser(eventId, organiser.id);
    const cached = await QueryCounter.count(() => service.forOrganiser(eventId, organiser.id));
    expect(cached.count).toBe(0);
    await testApp.app.get(StatsCache).invalidate(eventId);
    const fresh = await QueryCounter.count(() => service.forOrganiser(eventId, organiser.id));
    expect(fresh.count).toBe(2);
  });

  it('keeps stats from other organisers and attendees', async () => {
    const [other] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
    expect((await call('GET', `/events/${eventId}/stats`, await bearer(testApp.app, other))).status).toBe(
      403,
    );
    expect(
      (await call('GET', `/events/${eventId}/stats`, await bearer(testApp.app, attendees[0]!))).status,
    ).toBe(403);
  });

  it('takes one survey per checked-in attendee and updates the response rate', async () => {
    const checkedIn = attendees[2]!; // n = 3
    const notCheckedIn = attendees[0]!; // n = 1
    const answers = {
      answers: [
        { questionId: 'overall', rating: 5 },
        { questionId: 'comments', comment: 'Great' },
      ],
    };
    const first = await call<{ id: string }>(
      'POST',
      `/events/${eventId}/survey`,
      await bearer(testApp.app, checkedIn),
      answers,
    );
    expect(first.status).toBe(201);
    const second = await call<{ statusCode: number }>(
      'POST',
      `/events/${eventId}/survey`,
      await bearer(testApp.app, checkedIn),
      answers,
    );
    expect(second.status).toBe(409);
    const outsider = await call(
      'POST',
      `/events/${eventId}/survey`,
      await bearer(testApp.app, notCheckedIn),
      answers,
    );
    expect(outsider.status).toBe(403);

    const stats = await call<Stats>('GET', `/events/${eventId}/stats`, asOrganiser);
    expect(stats.body.surveyResponses).toBe(1);
    expect(stats.body.surveyResponseRate).toBeCloseTo(1 / 8);
  });

  it('rejects a malformed survey with field details', async () => {
    const response = await call<{ details: { field: string }[] }>(
      'POST',
      `/events/${eventId}/survey`,
      await bearer(testApp.app, attendees[5]!),
      {
        answers: [{ questionId: 'Bad Id', rating: 9 }],
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.details.map((detail) => detail.field).sort()).toEqual([
      'answers.0.questionId',
      'answers.0.rating',
    ]);
  });

  it('pages survey responses for the organiser', async () => {
    const checkedIn = attendees.filter(
      (_, index) => (index + 1) % 3 === 0 && (index + 1) % 7 !== 0 && (index + 1) % 10 !== 0,
    );
    for (const user of checkedIn.slice(1)) {
      await call('POST', `/events/${eventId}/survey`, await bearer(testApp.app, user), {
        answers: [{ questionId: 'overall', rating: 4 }],
      });
    }
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const page = await call<{ data: { id: string }[]; pagination: { nextCursor: string | null } }>(
        'GET',
        `/events/${eventId}/survey/responses${query}`,
        asOrganiser,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.data.map((row) => row.id));
      cursor = page.body.pagination.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(checkedIn.length);
  });
});
