import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import type { FollowPageDto } from '../src/follows/follow-page.dto.js';

const ctx = useTestContext(liveStreamingHarness);

describe('follows', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let streamer: SessionBody;
  let fans: SessionBody[];

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    streamer = await api.signup('follows_streamer@example.com');
    fans = [];
    for (const name of ['fan_a', 'fan_b', 'fan_c']) fans.push(await api.signup(`${name}@example.com`));
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('follows and unfollows idempotently, newest follower first, with profiles joined in', async () => {
    for (const fan of fans) {
      await api.expect(204, 'POST', `/users/${streamer.user.id}/follow`, undefined, fan.accessToken);
    }
    await api.expect(204, 'POST', `/users/${streamer.user.id}/follow`, undefined, fans[0]!.accessToken);
    const page = await api.expect<FollowPageDto>(
      200,
      'GET',
      `/users/${streamer.user.id}/followers`,
      undefined,
      fans[0]!.accessToken,
    );
    expect(page.data.map((entry) => entry.username)).toEqual(['fan_c', 'fan_b', 'fan_a']);
    expect(page.pagination).toEqual({ nextCursor: null, hasMore: false });

    await api.expect(204, 'DELETE', `/users/${streamer.user.id}/follow`, undefined, fans[1]!.accessToken);
    await api.expect(204, 'DELETE', `/users/${streamer.user.id}/follow`, undefined, fans[1]!.accessToken);
    const following = await api.expect<FollowPageDto>(
      200,
      'GET',
      `/users/${fans[1]!.user.id}/following`,
      undefined,
      fans[0]!.accessToken,
    );
    expect(following.data).toEqual([]);
  });

  it('pages with a cursor that only the list which issued it accepts', async () => {
    const first = await api.expect<FollowPageDto>(
      200,
      'GET',
      `/users/${streamer.user.id}/followers?limit=1`,
      undefined,
      fans[0]!.accessToken,
    );
    expect(first.data).toHaveLength(1);
    const cursor = encodeURIComponent(first.pagination.nextCursor ?? '');
    const second = await api.expect<FollowPageDto>(
      200,
      'GET',
      `/users/${streamer.user.id}/followers?limit=1&cursor=${cursor}`,
      undefined,
      fans[0]!.accessToken,
    );
    expect(second.data[0]?.userId).not.toBe(first.data[0]?.userId);
    const elsewhere = await api.call(
      'GET',
      `/users/${fans[0]!.user.id}/following?cursor=${cursor}`,
      undefined,
      fans[0]!.accessToken,
    );
    expect(elsewhere.status).toBe(400);
  });

  it('refuses a page over 100, a self-follow and an unknown user', async () => {
    const token = fans[0]!.accessToken;
    expect(
      (await api.call('GET', `/users/${streamer.user.id}/followers?limit=101`, undefined, token)).status,
    ).toBe(400);
    expect((await api.call('POST', `/users/${fans[0]!.user.id}/follow`, undefined, token)).status).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api.call('POST', `/users/${unknown}/follow`, undefined, token)).status).toBe(404);
  });
});
