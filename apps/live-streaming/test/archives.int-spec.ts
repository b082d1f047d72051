import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { readFileSync } from 'node:fs';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { FfmpegProbe } from '../findings/support/ffmpeg-probe.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import {
  startMediaBucketEmulator,
  type MediaBucketEmulator,
} from '../findings/support/media-bucket-emulator.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { CORRUPT_RECORDING, testRecording } from '../findings/support/test-recording.js';
import type { ArchiveDto } from '../src/archives/archive.dto.js';
import type { StreamDto } from '../src/streams/stream.dto.js';

const ctx = useTestContext(liveStreamingHarness);

describe('archives: ending a stream queues its transcode; the worker makes an HLS ladder on S3', () => {
  let bucket: MediaBucketEmulator;
  let probe: FfmpegProbe;
  let testApp: TestApp;
  let worker: TestWorker;
  let api: ApiClient;
  let streamer: SessionBody;
  let viewer: SessionBody;

  beforeAll(async () => {
    bucket = await startMediaBucketEmulator();
    probe = await FfmpegProbe.create();
    const env = {
      ...bucket.env,
      FFMPEG_PATH: probe.path,
      TRANSCODE_ATTEMPTS: '3',
      TRANSCODE_BACKOFF_MS: '100',
    };
    testApp = await startTestApp(ctx, env);
    worker = await startTestWorker(ctx, env);
    api = new ApiClient(testApp.url);
    streamer = await api.signup('archive_streamer@example.com');
    viewer = await api.signup('archive_viewer@example.com');
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await testApp?.close();
    await bucket?.stop();
    await probe?.dispose();
  });

  async function endStreamWith(recording: Uint8Array): Promise<string> {
    const stream = await api.expect<StreamDto>(
      201,
      'POST',
      '/streams',
      { title: 'Archive me', category: 'games' },
      streamer.accessToken,
    );
    await bucket.putRecording(stream.id, recording);
    await api.expect(200, 'POST', `/streams/${stream.id}/end`, undefined, streamer.accessToken);
    return stream.id;
  }

  const archiveOf = (streamId: string) =>
    api.expect<ArchiveDto>(200, 'GET', `/streams/${streamId}/archive`, undefined, viewer.accessToken);

  async function settled(streamId: string): Promise<ArchiveDto> {
    let archive: ArchiveDto | undefined;
    await waitUntil(
      `the archive of ${streamId} to be ready or failed`,
      async () => {
        archive = await archiveOf(streamId);
        return archive.status === 'ready' || archive.status === 'failed';
      },
      120_000,
    );
    return archive!;
  }

  it('transcodes the recording into 720p, 480p and audio-only renditions, played back through the API', async () => {
    const streamId = await endStreamWith(await testRecording());
    const archive = await settled(streamId);
    expect(archive).toMatchObject({ streamId, status: 'ready', attempts: 1 });
    expect(archive.renditions.map((rendition) => rendition.name)).toEqual(['720p', '480p', 'audio']);

    const auth = { authorization: `Bearer ${viewer.accessToken}` };
    const master = await fetch(`${testApp.url}${archive.masterPlaylistUrl}`, { headers: auth });
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const masterText = await master.text();
    expect(masterText).toContain('RESOLUTION=1280x720');
    expect(masterText).toContain('720p/index.m3u8');

    const variant = await fetch(`${testApp.url}/streams/${streamId}/archive/480p/index.m3u8`, {
      headers: auth,
    });
    const segments = (await variant.text()).split('\n').filter((line) => line.endsWith('.ts'));
    expect(segments.length).toBeGreaterThanOrEqual(2);
    const segment = await fetch(`${testApp.url}/streams/${streamId}/archive/480p/${segments[0]}`, {
      headers: auth,
    });
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    // MPEG-TS packets start with the sync byte 0x47.
    expect(new Uint8Array(await segment.arrayBuffer())[0]).toBe(0x47);
    const missing = await api.call(
      'GET',
      `/streams/${streamId}/archive/480p/segment-999.ts`,
      undefined,
      viewer.accessToken,
    );
    expect(missing.status).toBe(404);

    const [run] = (await probe.runs()).filter((entry) => entry.streamId === streamId);
    const ownNice = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);
    expect(run?.nice).toBeGreaterThan(ownNice);
  }, 180_000);

  it('retries a recording ffmpeg cannot read with backoff, then shows the archive as failed', async () => {
    const streamId = await endStreamWith(CORRUPT_RECORDING);
    const archive = await settled(streamId);
    expect(archive).toMatchObject({ status: 'failed', attempts: 3, masterPlaylistUrl: null, renditions: [] });
    const runs = (await probe.runs()).filter((entry) => entry.streamId === streamId);
    expect(runs.map((entry) => entry.exitCode !== 0)).toEqual([true, true, true]);
    // Exponential backoff from 100 ms: at least 100 ms before the second run, 200 ms before the third.
    const gaps = runs.slice(1).map((entry, index) => entry.startedAtMs - runs[index]!.endedAtMs!);
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    // Playback of an archive that is not ready is a 404, whatever the file.
    const master = await api.call(
      'GET',
      `/streams/${streamId}/archive/master.m3u8`,
      undefined,
      viewer.accessToken,
    );
    expect(master.status).toBe(404);
  }, 180_000);

  it('answers 404 for a live stream, 400 for a file no archive holds, 401 without a token', async () => {
    const live = await api.expect<StreamDto>(
      201,
      'POST',
      '/streams',
      { title: 'Still live', category: 'games' },
      viewer.accessToken,
    );
    expect((await api.call('GET', `/streams/${live.id}/archive`, undefined, viewer.accessToken)).status).toBe(
      404,
    );
    const badRendition = await api.call(
      'GET',
      `/streams/${live.id}/archive/1080p/index.m3u8`,
      undefined,
      viewer.accessToken,
    );
    expect(badRendition.status).toBe(400);
    expect(badRendition.body).toMatchObject({ details: [{ field: 'rendition' }] });
    const traversal = await api.call(
      'GET',
      `/streams/${live.id}/archive/720p/..%2F..%2Fsecret.ts`,
      undefined,
      viewer.accessToken,
    );
    expect(traversal.status).toBe(400);
    expect((await api.call('GET', `/streams/${live.id}/archive`)).status).toBe(401);
  });
});
