import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { bearer, seedEvents, seedUsers, type SeededUser } from '../findings/support/seed.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Issue 9: bad input is a 400 (or 415) in the shared error shape, never a 500 or a stored null. */
describe('input sanity at the HTTP edge', () => {
  let testApp: TestApp;
  let asOrganiser: Record<string, string>;
  let organiserId: string;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    const [organiser] = (await seedUsers(ctx.pool, 1, { role: 'organiser' })) as [SeededUser];
    organiserId = organiser.id;
    asOrganiser = await bearer(testApp.app, organiser);
  });

  afterAll(() => testApp.close());

  /** node:http rather than fetch, so bodies and headers go out byte for byte as written. */
  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Answer> {
    const { port } = new URL(testApp.url);
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  const expectBadField = (answer: Answer, field: string, status = 400) => {
    expect({ status: answer.status, keys: Object.keys(answer.body).sort() }).toEqual({
      status,
      keys: ['details', 'error', 'message', 'statusCode'],
    });
    expect((answer.body['details'] as { field: string }[]).map((detail) => detail.field)).toContain(field);
  };

  const newEvent = async (): Promise<string> => {
    const [event] = await seedEvents(ctx.pool, organiserId, 1, { status: 'draft' });
    return event!.id;
  };
  const patch = async (id: string, body: string) =>
    send('PATCH', `/events/${id}`, { ...asOrganiser, ...JSON_TYPE }, body);
  const eventRow = async (id: string) =>
    (await ctx.pool.query('SELECT title, capacity, start_datetime FROM events WHERE id = $1', [id]))
      .rows[0] as {
      title: string | null;
      capacity: number;
    };

  describe('the three 500s reachable without signing in', () => {
    it('a NUL byte in a signup field', async () => {
      const body = JSON.stringify({
        email: 'nul@example.com',
        name: 'A\u0000B',
        department: 'Sales',
        password: 'correct horse battery staple',
      });
      expectBadField(await send('POST', '/auth/signup', JSON_TYPE, body), 'name');
    });

    it('a lone surrogate in the login e-mail', async () => {
      const body = '{"email":"a\\ud800@example.com","password":"x"}';
      expectBadField(await send('POST', '/auth/login', JSON_TYPE, body), 'email');
    });

    it('a body nested 2,000 deep', async () => {
      const answer = await send('POST', '/auth/login', JSON_TYPE, `${'['.repeat(2000)}${']'.repeat(2000)}`);
      expect(answer.status).toBe(400);
      expect(answer.body['message']).toMatch(/must not nest deeper than 32 levels$/);
    });
  });

  it('answers 415 for a form-encoded login, naming the content type', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const answer = await send('POST', '/auth/login', form, 'email=a%40example.com&password=x');
    expectBadField(answer, 'content-type', 415);
  });

  it('refuses a __proto__ key as such, not as invalid JSON', async () => {
    const answer = await send(
      'POST',
      '/auth/login',
      JSON_TYPE,
      '{"email":"a@example.com","password":"x","__proto__":{}}',
    );
    expectBadField(answer, '__proto__');
    expect(answer.body['message']).toBe('__proto__: is not an accepted property name');
  });

  it.each(['capacity', 'category', 'timezone', 'title', 'startDatetime', 'description'])(
    'refuses PATCH with %s: null and stores nothing',
    async (field) => {
      const id = await newEvent();
      const before = await eventRow(id);
      expectBadField(await patch(id, `{"version":1,"${field}":null}`), field);
      expect(await eventRow(id)).toEqual(before);
    },
  );

  it.each([
    ['a blank title', { title: ' ' }, 'title'],
    ['a date-only endDatetime', { endDatetime: '2031-05-01' }, 'endDatetime'],
    ['a date-time without offset', { startDatetime: '2031-05-01T09:00:00' }, 'startDatetime'],
    ['a start in 1970', { startDatetime: '1970-01-01T00:00:00Z' }, 'startDatetime'],
    ['an end in 9999', { endDatetime: '9999-01-01T00:00:00Z' }, 'endDatetime'],
  ])('refuses %s', async (_name, change, field) => {
    const id = await newEvent();
    expectBadField(await patch(id, JSON.stringify({ version: 1, ...change })), field);
  });

  it('refuses an event created in 1970 and ending in 9999', async () => {
    const body = JSON.stringify({
      title: 'Epoch',
      category: 'seminar',
      startDatetime: '1970-01-01T00:00:00Z',
      endDatetime: '9999-12-31T00:00:00Z',
      capacity: 5,
    });
    const answer = await send('POST', '/events', { ...asOrganiser, ...JSON_TYPE }, body);
    expectBadField(answer, 'startDatetime');
    expectBadField(answer, 'endDatetime');
  });

  it('still accepts an offset date-time within the bounds', async () => {
    const id = await newEvent();
    const answer = await patch(
      id,
      '{"version":1,"startDatetime":"2031-05-01T09:00:00+09:00","endDatetime":"2031-05-01T11:00:00+09:00"}',
    );
    expect(answer.status).toBe(200);
  });

  it.each(['0x10', '%205', '1e1', ''])('refuses limit=%s, naming the field once', async (limit) => {
    const answer = await send('GET', `/events?limit=${limit}`, asOrganiser);
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'limit: must be an integer from 1 to 100',
      details: [{ field: 'limit', message: 'must be an integer from 1 to 100' }],
    });
  });

  it.each([
    ['/me/registrations', '0x10', 50],
    ['/me/registrations', '%205', 50],
    ['/me/registrations', '1e1', 50],
    ['/me/registrations', '%2B5', 50],
    ['/events/00000000-0000-4000-8000-000000000000/survey/responses', '0x10', 200],
  ])('refuses %s?limit=%s like /events does', async (path, limit, maxLimit) => {
    const answer = await send('GET', `${path}?limit=${limit}`, asOrganiser);
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `limit: must be an integer from 1 to ${maxLimit}`,
      details: [{ field: 'limit', message: `must be an integer from 1 to ${maxLimit}` }],
    });
  });

  it('answers 414 and 431 in the shared shape without Fastify codes', async () => {
    const tooLong = await send('GET', `/events/${'a'.repeat(1000)}`, asOrganiser);
    expect(tooLong.body).toEqual({
      statusCode: 414,
      error: 'Uri Too Long',
      message: 'a path parameter is longer than the server accepts',
      details: [],
    });
    const bigHeaders = await send('GET', '/events', { ...asOrganiser, 'x-padding': 'a'.repeat(20_000) });
    expect(bigHeaders.body).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: 'the request headers are larger than the server accepts',
      details: [],
    });
  });
});
