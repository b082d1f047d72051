import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { launchChromium, useTestContext, waitUntil } from '@remedy/testing';
import type { Browser } from 'playwright-core';
import { ApiClient, TEST_PASSWORD, type SessionBody } from '../../findings/support/api-client.js';
import { liveStreamingHarness } from '../../findings/support/live-streaming-harness.js';
import {
  startMediaBucketEmulator,
  type MediaBucketEmulator,
} from '../../findings/support/media-bucket-emulator.js';
import { startTestApp, type TestApp } from '../../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../../findings/support/start-test-worker.js';
import { testRecording } from '../../findings/support/test-recording.js';
import type { ArchiveDto } from '../../src/archives/archive.dto.js';
import type { StreamDto } from '../../src/streams/stream.dto.js';

const ctx = useTestContext(liveStreamingHarness);

describe('the archive player page (headless Chromium)', () => {
  let bucket: MediaBucketEmulator;
  let testApp: TestApp;
  let worker: TestWorker;
  let browser: Browser;
  let api: ApiClient;
  let viewer: SessionBody;
  let streamId: string;

  beforeAll(async () => {
    // First: without Chromium this fails at once, not after the recording is transcoded.
    browser = await launchChromium({ args: ['--autoplay-policy=no-user-gesture-required'] });
    bucket = await startMediaBucketEmulator();
    testApp = await startTestApp(ctx, bucket.env);
    worker = await startTestWorker(ctx, bucket.env);
    api = new ApiClient(testApp.url);
    const streamer = await api.signup('player_streamer@example.com');
    viewer = await api.signup('player_viewer@example.com');
    const stream = await api.expect<StreamDto>(
      201,
      'POST',
      '/streams',
      { title: 'Watch me later', category: 'games' },
      streamer.accessToken,
    );
    streamId = stream.id;
    await bucket.putRecording(streamId, await testRecording());
    await api.expect(200, 'POST', `/streams/${streamId}/end`, undefined, streamer.accessToken);
    await waitUntil(
      'the archive to be ready',
      async () =>
        (
          await api.expect<ArchiveDto>(
            200,
            'GET',
            `/streams/${streamId}/archive`,
            undefined,
            viewer.accessToken,
          )
        ).status === 'ready',
      180_000,
    );
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await testApp?.close();
    await bucket?.stop();
  });

  it('signs in, loads the HLS master through the API with the token in a header, and plays: time advances', async () => {
    const page = await browser.newPage();
    const playbackRequests: Array<{ url: string; authorized: boolean }> = [];
    page.on('request', (request) => {
      if (request.url().includes(`/streams/${streamId}/archive`))
        playbackRequests.push({
          url: request.url(),
          authorized: request.headers()['authorization'] !== undefined,
        });
    });
    await page.goto(`${testApp.url}/watch/archive/${streamId}`);
    await page.fill('#email', 'player_viewer@example.com');
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button[type=submit]');

    // The page's own <video>, read in the page (this package's TypeScript has no DOM types).
    const currentTime = async () =>
      Number(
        await page.evaluate(
          () =>
            (
              globalThis as unknown as {
                document: { querySelector(selector: string): { currentTime: number } };
              }
            ).document.querySelector('video').currentTime,
        ),
      );
    await waitUntil('the archive to start playing', async () => (await currentTime()) > 0, 120_000);
    const first = await currentTime();
    await waitUntil('the playing time to advance', async () => (await currentTime()) > first + 0.5, 120_000);
    expect(await page.textContent('#status')).toBe('Playing the archive.');
    expect(playbackRequests.some((request) => request.url.endsWith('.ts'))).toBe(true);
    expect(playbackRequests.every((request) => request.authorized && !request.url.includes('token'))).toBe(
      true,
    );
    await page.close();
  }, 240_000);
});
