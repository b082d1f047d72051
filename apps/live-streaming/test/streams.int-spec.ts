import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import type { StreamDto, StreamPageDto } from '../src/streams/stream.dto.js';

const ctx = useTestContext(liveStreamingHarness);

const SOME_ID = '00000000-0000-4000-8000-000000000000';

describe('streams', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let streamer: SessionBody;
  let viewer: SessionBody;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    streamer = await api.signup('streams_streamer@example.com');
    viewer = await api.signup('streams_viewer@example.com');
  });

  afterAll(async () => {
    await testApp.close();
  });

  const goLive = (session: SessionBody, title: string) =>
    api.expect<StreamDto>(201, 'POST', '/streams', { title, category: 'games' }, session.accessToken);

  it('goes live once at a time, lists the stream with its streamer, and only the streamer ends it', async () => {
    const stream = await goLive(streamer, 'First stream');
    expect(stream).toMatchObject({
      title: 'First stream',
      category: 'games',
      status: 'live',
      endedAt: null,
      streamer: { userId: streamer.user.id, username: 'streams_streamer', avatarUrl: null },
    });
    const again = await api.call(
      'POST',
      '/streams',
      { title: 'Second', category: 'games' },
      streamer.accessToken,
    );
    expect(again.status).toBe(409);

    const live = await api.expect<StreamPageDto>(200, 'GET', '/streams/live');
    expect(live.data.map((entry) => entry.id)).toEqual([stream.id]);
    expect(
      await api.expect<StreamDto>(200, 'GET', `/streams/${stream.id}`, undefined, viewer.accessToken),
    ).toEqual(stream);

    expect((await api.call('POST', `/streams/${stream.id}/end`, undefined, viewer.accessToken)).status).toBe(
      403,
    );
    const ended = await api.expect<StreamDto>(
      200,
      'POST',
      `/streams/${stream.id}/end`,
      undefined,
      streamer.accessToken,
    );
    expect(ended).toMatchObject({ id: stream.id, status: 'ended' });
    expect(ended.endedAt).not.toBeNull();
    // Idempotent: ending an ended stream answers the same stream.
    expect(
      await api.expect(200, 'POST', `/streams/${stream.id}/end`, undefined, streamer.accessToken),
    ).toEqual(ended);
    expect((await api.expect<StreamPageDto>(200, 'GET', '/streams/live')).data).toEqual([]);
  });

  it('lets only one of several concurrent go-lives by one streamer through', async () => {
    const racer = await api.signup('streams_racer@example.com');
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, attempt) =>
        api.call('POST', '/streams', { title: `Attempt ${attempt}`, category: 'games' }, racer.accessToken),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const started = answers.find((answer) => answer.status === 201)!.body as unknown as StreamDto;
    await api.expect(200, 'POST', `/streams/${started.id}/end`, undefined, racer.accessToken);
  });

  it("pages a streamer's past streams newest first, with a cursor bound to that streamer", async () => {
    for (const title of ['Past 1', 'Past 2', 'Past 3']) {
      const stream = await goLive(viewer, title);
      await api.expect(200, 'POST', `/streams/${stream.id}/end`, undefined, viewer.accessToken);
    }
    const path = `/users/${viewer.user.id}/streams`;
    const first = await api.expect<StreamPageDto>(
      200,
      'GET',
      `${path}?limit=2`,
      undefined,
      streamer.accessToken,
    );
    expect(first.data.map((stream) => stream.title)).toEqual(['Past 3', 'Past 2']);
    expect(first.pagination.hasMore).toBe(true);
    const cursor = encodeURIComponent(first.pagination.nextCursor!);
    const second = await api.expect<StreamPageDto>(
      200,
      'GET',
      `${path}?limit=2&cursor=${cursor}`,
      undefined,
      streamer.accessToken,
    );
    expect(second.data.map((stream) => stream.title)).toEqual(['Past 1']);
    expect(second.pagination).toEqual({ nextCursor: null, hasMore: false });

    const otherList = `/users/${streamer.user.id}/streams?cursor=${cursor}`;
    expect((await api.call('GET', otherList, undefined, streamer.accessToken)).status).toBe(400);
  });

  it('answers the live list publicly with CDN headers, a strong ETag and 304 on a match', async () => {
    const first = await fetch(`${testApp.url}/streams/live`);
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/^public, .*s-maxage=30/);
    expect(etag).toMatch(/^"[^"]+"$/);
    const repeat = await fetch(`${testApp.url}/streams/live`, {
      headers: { 'if-none-match': `"other", ${etag}` },
    });
    expect(repeat.status).toBe(304);
    expect(await repeat.text()).toBe('');
    expect(repeat.headers.get('etag')).toBe(etag);
    // A go-live changes the list: the old validator no longer matches.
    const stream = await goLive(streamer, 'Fresh stream');
    const changed = await fetch(`${testApp.url}/streams/live`, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as StreamPageDto).data.map((entry) => entry.id)).toEqual([stream.id]);
    await api.expect(200, 'POST', `/streams/${stream.id}/end`, undefined, streamer.accessToken);
  });

  it('refuses bad input with 400 and unknown streams with 404', async () => {
    const token = streamer.accessToken;
    const tooLong = { title: 'x'.repeat(141), category: 'games' };
    for (const body of [
      {},
      { title: '', category: 'games' },
      tooLong,
      { title: 'ok', category: 'Not Valid' },
    ]) {
      expect((await api.call('POST', '/streams', body, token)).status).toBe(400);
    }
    expect((await api.call('GET', '/streams/live?limit=101')).status).toBe(400);
    expect((await api.call('GET', '/streams/live?cursor=garbage')).status).toBe(400);
    expect((await api.call('GET', '/streams/not-a-uuid', undefined, token)).status).toBe(400);
    expect((await api.call('GET', `/streams/${SOME_ID}`, undefined, token)).status).toBe(404);
    expect((await api.call('POST', `/streams/${SOME_ID}/end`, undefined, token)).status).toBe(404);
    expect((await api.call('POST', '/streams', { title: 'x', category: 'games' })).status).toBe(401);
  });
});
