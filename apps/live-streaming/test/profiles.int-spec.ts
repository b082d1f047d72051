import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { ProfileCache } from '../src/profiles/profile.cache.js';
import type { ProfileDto } from '../src/profiles/profile.dto.js';

const ctx = useTestContext(liveStreamingHarness);

describe('profiles', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let member: SessionBody;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    member = await api.signup('profile_owner@example.com');
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('creates the profile at signup and refuses a taken username or e-mail with 409', async () => {
    const me = await api.expect<ProfileDto>(200, 'GET', '/me', undefined, member.accessToken);
    expect(me).toMatchObject({ userId: member.user.id, username: 'profile_owner', avatarUrl: null, bio: '' });
    const sameName = await api.call('POST', '/auth/signup', {
      email: 'other@example.com',
      username: 'profile_owner',
      displayName: 'x',
      password: 'correct horse battery staple',
    });
    expect(sameName.status).toBe(409);
    const sameEmail = await api.call('POST', '/auth/signup', {
      email: 'PROFILE_OWNER@example.com',
      username: 'someone_else',
      displayName: 'x',
      password: 'correct horse battery staple',
    });
    expect(sameEmail.status).toBe(409);
  });

  it('updates only the fields sent and serves the change at once', async () => {
    const path = `/users/${member.user.id}/profile`;
    await api.expect(200, 'GET', path, undefined, member.accessToken);
    const updated = await api.expect<ProfileDto>(
      200,
      'PATCH',
      '/me/profile',
      { bio: 'Speedruns on weekends.', avatarUrl: 'https://cdn.example.com/a.png' },
      member.accessToken,
    );
    expect(updated).toMatchObject({ username: 'profile_owner', bio: 'Speedruns on weekends.' });
    const read = await api.expect<ProfileDto>(200, 'GET', path, undefined, member.accessToken);
    expect(read).toEqual(updated);
  });

  it('refuses null, a non-https avatar and an unknown user', async () => {
    const token = member.accessToken;
    expect((await api.call('PATCH', '/me/profile', { displayName: null }, token)).status).toBe(400);
    expect((await api.call('PATCH', '/me/profile', { avatarUrl: 'javascript:alert(1)' }, token)).status).toBe(
      400,
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api.call('GET', `/users/${unknown}/profile`, undefined, token)).status).toBe(404);
  });

  it('never serves a profile loaded before an update that committed while it loaded', async () => {
    const cache = testApp.app.get(ProfileCache);
    const current = await api.expect<ProfileDto>(200, 'GET', '/me', undefined, member.accessToken);
    const old = { ...current, displayName: 'Old Name' };
    await cache.forget(member.user.id); // so the next read misses and loads
    // The slow read: while it loads the old row, an update commits and invalidates; then it fills the cache.
    await cache.read(member.user.id, async () => {
      await cache.forget(member.user.id);
      return old;
    });
    const fresh = { ...current, displayName: 'New Name' };
    expect(await cache.read(member.user.id, () => Promise.resolve(fresh))).toEqual(fresh);
    expect(await cache.read(member.user.id, () => Promise.reject(new Error('should be cached')))).toEqual(
      fresh,
    );
  });
});
