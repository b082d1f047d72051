import { defineBench, percentile, waitUntil } from '@remedy/testing';
import type { ArchiveDto } from '../src/archives/archive.dto.js';
import type { StreamDto } from '../src/streams/stream.dto.js';
import { ApiClient, type SessionBody } from '../findings/support/api-client.js';
import { FfmpegProbe } from '../findings/support/ffmpeg-probe.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { startMediaBucketEmulator } from '../findings/support/media-bucket-emulator.js';
import { startTestApp } from '../findings/support/start-test-app.js';
import { startTestWorker } from '../findings/support/start-test-worker.js';
import { testRecording } from '../findings/support/test-recording.js';

const STREAMS = 10;
const CONCURRENCY = 2;

/**
 * livestream:S5 at the review's scale: 10 streams end at once against the API and one worker (TRANSCODE_CONCURRENCY
 * 2, real ffmpeg on 4 s generated recordings, S3 in fauxqs). Reports the end request's p95, the time from the
 * first end request until every archive is playable (ready, and its master playlist served), and the most ffmpeg
 * processes alive at once.
 */
export default defineBench({
  name: 'live-streaming: 10 streams ending at once (archives)',
  harness: liveStreamingHarness,
  async run(ctx) {
    const bucket = await startMediaBucketEmulator();
    const probe = await FfmpegProbe.create();
    const env = { ...bucket.env, FFMPEG_PATH: probe.path, TRANSCODE_CONCURRENCY: String(CONCURRENCY) };
    const app = await startTestApp(ctx, env);
    const worker = await startTestWorker(ctx, env);
    try {
      const api = new ApiClient(app.url);
      const recording = await testRecording();
      const streams: Array<{ id: string; streamer: SessionBody }> = [];
      for (let index = 0; index < STREAMS; index += 1) {
        const streamer = await api.signup(`bench_archive_${index}@example.com`);
        const stream = await api.expect<StreamDto>(
          201,
          'POST',
          '/streams',
          { title: `Bench ${index}`, category: 'games' },
          streamer.accessToken,
        );
        await bucket.putRecording(stream.id, recording);
        streams.push({ id: stream.id, streamer });
      }
      ctx.log(`${STREAMS} streams live with recordings; ending them at once`);
      const started = performance.now();
      const latencies = await Promise.all(
        streams.map(async (stream) => {
          const sent = performance.now();
          await api.expect(200, 'POST', `/streams/${stream.id}/end`, undefined, stream.streamer.accessToken);
          return performance.now() - sent;
        }),
      );
      const playable = new Set<string>();
      await waitUntil(
        'every archive playable',
        async () => {
          for (const stream of streams) {
            if (playable.has(stream.id)) continue;
            const archive = await api.expect<ArchiveDto>(
              200,
              'GET',
              `/streams/${stream.id}/archive`,
              undefined,
              stream.streamer.accessToken,
            );
            if (archive.status === 'failed') throw new Error(`the archive of ${stream.id} failed`);
            if (archive.masterPlaylistUrl === null) continue;
            const master = await fetch(`${app.url}${archive.masterPlaylistUrl}`, {
              headers: { authorization: `Bearer ${stream.streamer.accessToken}` },
            });
            await master.arrayBuffer();
            if (master.status === 200) {
              playable.add(stream.id);
              ctx.log(`${playable.size}/${STREAMS} archives playable`);
            }
          }
          return playable.size === STREAMS;
        },
        600_000,
      );
      const allPlayableSeconds = (performance.now() - started) / 1_000;
      const mostAtOnce = await probe.maxConcurrent();
      return {
        streams: STREAMS,
        'end request p95 (ms)': Math.round(percentile(latencies, 95)),
        'end request max (ms)': Math.round(Math.max(...latencies)),
        'all archives playable after (s)': Number(allPlayableSeconds.toFixed(1)),
        'ffmpeg processes at once (most)': mostAtOnce,
        'concurrency cap held': mostAtOnce <= CONCURRENCY,
      };
    } finally {
      await worker.close();
      await app.close();
      await bucket.stop();
      await probe.dispose();
    }
  },
});
