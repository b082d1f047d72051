import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';
import { seedOrganiser } from '../findings/support/seed-users.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(eventRegistrationHarness);

describe('auth endpoints', () => {
  let testApp: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('signup makes an attendee with a 15 minute access token; /me answers with it', async () => {
    const session = await api.signup('Aiko@Example.com');
    expect(session.expiresIn).toBe(900);
    expect(session.user).toMatchObject({ email: 'aiko@example.com', role: 'attendee' });
    const me = await api.call('GET', '/me', undefined, session.accessToken);
    expect(me).toMatchObject({ status: 200, body: { email: 'aiko@example.com', role: 'attendee' } });
  });

  it('a duplicate e-mail is a 409, bad input a 400 with field details', async () => {
    await api.signup('dup@example.com');
    const again = await api.call('POST', '/auth/signup', {
      email: 'DUP@example.com',
      name: 'x',
      department: 'y',
      password: 'correct horse battery staple',
    });
    expect(again.status).toBe(409);
    const bad = await api.call<{ details: { field: string }[] }>('POST', '/auth/signup', {
      email: 'nope',
      name: '',
      department: 'y',
      password: 'short',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d) => d.field).sort()).toEqual(['email', 'name', 'password']);
  });

  it('login with a wrong password or unknown e-mail is the same 401', async () => {
    await api.signup('bob@example.com');
    const wrong = await api.call('POST', '/auth/login', { email: 'bob@example.com', password: 'wrong' });
    const unknown = await api.call('POST', '/auth/login', { email: 'who@example.com', password: 'wrong' });
    expect(wrong).toEqual(unknown);
    expect(wrong.status).toBe(401);
  });

  it('refresh rotates; the spent refresh token is rejected and revokes the login', async () => {
    await api.signup('carol@example.com');
    const login = await api.login('carol@example.com');
    const rotated = await api.call<SessionBody>('POST', '/auth/refresh', {
      refreshToken: login.refreshToken,
    });
    expect(rotated.status).toBe(200);
    expect((await api.call('GET', '/me', undefined, rotated.body.accessToken)).status).toBe(200);
    const reused = await api.call('POST', '/auth/refresh', { refreshToken: login.refreshToken });
    expect(reused).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized' } });
    const afterReuse = await api.call('POST', '/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(afterReuse.status).toBe(401);
  });

  it('logout ends the session', async () => {
    await api.signup('dan@example.com');
    const login = await api.login('dan@example.com');
    expect((await api.call('POST', '/auth/logout', { refreshToken: login.refreshToken })).status).toBe(204);
    expect((await api.call('POST', '/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(401);
  });

  it('only organisers create organisers', async () => {
    const attendee = await api.signup('eve@example.com');
    const body = {
      email: 'new-org@example.com',
      name: 'N',
      department: 'Events',
      password: 'correct horse battery staple',
    };
    expect((await api.call('POST', '/users/organisers', body, attendee.accessToken)).status).toBe(403);
    await seedOrganiser(ctx.pool, 'olivia@example.com');
    const organiser = await api.login('olivia@example.com');
    const created = await api.call('POST', '/users/organisers', body, organiser.accessToken);
    expect(created).toMatchObject({ status: 201, body: { role: 'organiser' } });
    expect((await api.call('GET', '/me')).status).toBe(401);
  });
});
