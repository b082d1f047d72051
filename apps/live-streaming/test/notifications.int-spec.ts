import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PushProviderEmulator, useTestContext } from '@remedy/testing';
import { signAccessToken } from '../findings/support/access-tokens.js';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { ChatTestClient } from '../findings/support/chat-test-client.js';
import { awaitGoLiveDelivery, awaitUserRoomsSubscribed } from '../findings/support/go-live-delivery.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedFollowers } from '../findings/support/seed-followers.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import type { NotificationDto, NotificationPageDto } from '../src/notifications/notification.dto.js';
import type { StreamDto } from '../src/streams/stream.dto.js';

const ctx = useTestContext(liveStreamingHarness);

const BATCH_SIZE = 3;
const SOME_ID = '00000000-0000-4000-8000-000000000000';

describe('go-live notifications (livestream:C1)', () => {
  let push: PushProviderEmulator;
  let testApp: TestApp;
  let worker: TestWorker;
  let api: ApiClient;
  const sockets: ChatTestClient[] = [];

  beforeAll(async () => {
    push = await PushProviderEmulator.start();
    const overrides = {
      PUSH_API_URL: push.url,
      NOTIFY_BATCH_SIZE: String(BATCH_SIZE),
      NOTIFY_RETRY_DELAY_MS: '50',
      NOTIFY_RELAY_POLL_MS: '50',
    };
    testApp = await startTestApp(ctx, overrides);
    worker = await startTestWorker(ctx, overrides);
    api = new ApiClient(testApp.url);
  });

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await worker.close();
    await testApp.close();
    await push.stop();
  });

  /** A streamer with `count` seeded followers, the first `online` of them on an open /chat socket. */
  async function streamerWithFollowers(name: string, count: number, online: number) {
    const streamer = await api.signup(`${name}@example.com`);
    const followers = await seedFollowers(ctx.pool, streamer.user.id, {
      count,
      tieSize: 2,
      emailPrefix: `${name}_follower_`,
    });
    const onlineSockets = await Promise.all(
      followers
        .slice(0, online)
        .map(async (id) => ChatTestClient.joined(testApp.wsUrl, await signAccessToken(testApp.config, id))),
    );
    sockets.push(...onlineSockets);
    await awaitUserRoomsSubscribed(ctx.redis, testApp.config, followers.slice(0, online));
    return { streamer, followers, onlineSockets };
  }

  const goLive = (streamer: SessionBody, title: string) =>
    api.expect<StreamDto>(201, 'POST', '/streams', { title, category: 'games' }, streamer.accessToken);

  it('stores one notice per follower in batches, pushes it to open sockets and phones once, and lists it', async () => {
    const { streamer, followers, onlineSockets } = await streamerWithFollowers('c1_list', 7, 3);
    const stream = await goLive(streamer, 'Speedrun night');

    const delivery = await awaitGoLiveDelivery(ctx.pool, testApp.config, stream.id, followers, 60_000);
    expect(delivery).toEqual({
      notifiedOnce: 7,
      missing: 0,
      duplicateRows: 0,
      batchJobs: Math.ceil(7 / BATCH_SIZE),
      retriedBatches: 0,
    });
    for (const socket of onlineSockets) {
      await socket.until('a notification', () => socket.has('notification'));
      expect(socket.ofType('notification')).toEqual([
        expect.objectContaining({ kind: 'stream-started', streamId: stream.id, title: 'Speedrun night' }),
      ]);
    }
    expect(followers.map((id) => push.deliveriesTo(id))).toEqual(followers.map(() => 1));

    const token = await signAccessToken(testApp.config, followers[0]!);
    const page = await api.expect<NotificationPageDto>(
      200,
      'GET',
      '/notifications?limit=5',
      undefined,
      token,
    );
    expect(page.data).toEqual([
      expect.objectContaining({
        kind: 'stream-started',
        streamId: stream.id,
        streamerId: streamer.user.id,
        title: 'Speedrun night',
        streamStatus: 'live',
        readAt: null,
      }),
    ]);
    const notice = page.data[0]!;
    expect(onlineSockets[0]!.ofType('notification')[0]).toMatchObject({ id: notice.id });
    await api.expect(204, 'POST', `/notifications/${notice.id}/read`, undefined, token);
    await api.expect(204, 'POST', `/notifications/${notice.id}/read`, undefined, token);
    const [read] = (await api.expect<NotificationPageDto>(200, 'GET', '/notifications', undefined, token))
      .data as [NotificationDto];
    expect(read.readAt).not.toBeNull();
  });

  it('keeps notices to their member and refuses bad input with 4xx', async () => {
    const { streamer, followers } = await streamerWithFollowers('c1_scope', 2, 0);
    const stream = await goLive(streamer, 'Scoped');
    await awaitGoLiveDelivery(ctx.pool, testApp.config, stream.id, followers, 60_000);
    const mine = await signAccessToken(testApp.config, followers[0]!);
    const theirs = await signAccessToken(testApp.config, followers[1]!);
    const [notice] = (await api.expect<NotificationPageDto>(200, 'GET', '/notifications', undefined, mine))
      .data as [NotificationDto];

    expect((await api.call('POST', `/notifications/${notice.id}/read`, undefined, theirs)).status).toBe(404);
    expect((await api.call('POST', `/notifications/${SOME_ID}/read`, undefined, mine)).status).toBe(404);
    expect((await api.call('POST', '/notifications/not-a-uuid/read', undefined, mine)).status).toBe(400);
    expect((await api.call('GET', '/notifications?limit=101', undefined, mine)).status).toBe(400);
    expect((await api.call('GET', '/notifications?cursor=bogus', undefined, mine)).status).toBe(400);
    expect((await api.call('GET', '/notifications')).status).toBe(401);
    expect((await api.call('POST', `/notifications/${notice.id}/read`)).status).toBe(401);
    // The streamer follows no one: their list is empty, not the followers'.
    const own = await api.expect<NotificationPageDto>(
      200,
      'GET',
      '/notifications',
      undefined,
      streamer.accessToken,
    );
    expect(own.data).toEqual([]);
  });

  it('retries a batch that failed after storing its notices without a second notice, frame or push', async () => {
    const { streamer, followers, onlineSockets } = await streamerWithFollowers('c1_retry', 6, 6);
    // The first batch's provider call fails: its notices are stored by then, its pushes not sent.
    push.failNext({ status: 503 });
    const stream = await goLive(streamer, 'Retried');

    const delivery = await awaitGoLiveDelivery(ctx.pool, testApp.config, stream.id, followers, 60_000);
    expect(delivery).toMatchObject({ notifiedOnce: 6, missing: 0, duplicateRows: 0, retriedBatches: 1 });
    for (const socket of onlineSockets) {
      await socket.until('a notification', () => socket.has('notification'));
      expect(socket.ofType('notification').filter((frame) => frame['streamId'] === stream.id)).toHaveLength(
        1,
      );
    }
    expect(followers.map((id) => push.deliveriesTo(id))).toEqual(followers.map(() => 1));
  });

  it("waits out the provider's 429 Retry-After instead of calling again early", async () => {
    const { streamer, followers } = await streamerWithFollowers('c1_throttled', 3 * BATCH_SIZE, 0);
    push.rateLimit = { requests: 1, windowMs: 1_000 };
    try {
      const throttledBefore = push.throttled;
      const stream = await goLive(streamer, 'Throttled');
      const delivery = await awaitGoLiveDelivery(ctx.pool, testApp.config, stream.id, followers, 60_000);
      expect(delivery).toMatchObject({ notifiedOnce: 3 * BATCH_SIZE, missing: 0, duplicateRows: 0 });
      expect(push.throttled).toBeGreaterThan(throttledBefore);
      expect(push.ignoredRetryAfter).toBe(0);
      expect(followers.map((id) => push.deliveriesTo(id))).toEqual(followers.map(() => 1));
    } finally {
      push.rateLimit = undefined;
    }
  });
});
