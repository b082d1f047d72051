import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import { Queue } from 'bullmq';
import { readFile } from 'node:fs/promises';
import { SynchronousTranscodingArchiver } from '../katas/s-5-synchronous-transcoding.flawed.js';
import type { ArchiveDto } from '../src/archives/archive.dto.js';
import { StreamArchiver } from '../src/archives/stream-archiver.js';
import { TRANSCODE_QUEUE_NAME } from '../src/archives/transcode.job.js';
import type { ConfigValues } from '../src/config.js';
import type { StreamDto } from '../src/streams/stream.dto.js';
import { ApiClient, type SessionBody } from './support/api-client.js';
import { FfmpegProbe } from './support/ffmpeg-probe.js';
import { startMediaBucketEmulator } from './support/media-bucket-emulator.js';
import { startTestApp } from './support/start-test-app.js';
import { startTestWorker, type TestWorker } from './support/start-test-worker.js';
import { CORRUPT_RECORDING, testRecording } from './support/test-recording.js';

/** Streams that end at once, and the ffmpeg processes one worker may run (TRANSCODE_CONCURRENCY). */
const STREAMS = 4;
const CAP = 2;
const ATTEMPTS = 3;
/**
 * Every ffmpeg run is held at the probe's gate and counted, so a transcode's length decides nothing here: a
 * one-second recording (one HLS segment per rendition) keeps each run's real transcodes cheap.
 */
const RECORDING_SECONDS = 1;

type Run = 'flawed' | 'remediated' | 'no concurrency cap' | 'no retries' | 'ffmpeg at normal priority';

const PLUGS: Partial<Record<Run, ProviderPlug[]>> = {
  flawed: [{ provide: StreamArchiver, useClass: SynchronousTranscodingArchiver }],
};

const OVERRIDES: Partial<Record<Run, ConfigValues>> = {
  'no concurrency cap': { TRANSCODE_CONCURRENCY: String(STREAMS + 1) },
  'no retries': { TRANSCODE_ATTEMPTS: '1' },
  'ffmpeg at normal priority': { FFMPEG_NICE: '0' },
};

/** This process's nice level (field 19 of /proc/self/stat): ffmpeg should run below it. */
async function ownNice(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const bucket = await startMediaBucketEmulator();
  const probe = await FfmpegProbe.create();
  const env: ConfigValues = {
    ...bucket.env,
    FFMPEG_PATH: probe.path,
    TRANSCODE_CONCURRENCY: String(CAP),
    TRANSCODE_ATTEMPTS: String(ATTEMPTS),
    TRANSCODE_BACKOFF_MS: '100',
    ...OVERRIDES[run],
  };
  const app = await startTestApp(ctx, env, { plugs: PLUGS[run] ?? [] });
  const queue = new Queue(TRANSCODE_QUEUE_NAME, { connection: { url: ctx.redisUrl }, prefix: ctx.prefix });
  let worker: TestWorker | undefined;
  try {
    const api = new ApiClient(app.url);
    const recording = await testRecording(RECORDING_SECONDS);
    // One streamer per stream (one live stream each); the last stream's recording is broken.
    const streams: Array<{ id: string; streamer: SessionBody }> = [];
    for (let index = 0; index <= STREAMS; index += 1) {
      const streamer = await api.signup(`s5_streamer_${index}@example.com`);
      const stream = await api.expect<StreamDto>(
        201,
        'POST',
        '/streams',
        { title: `Stream ${index}`, category: 'games' },
        streamer.accessToken,
      );
      await bucket.putRecording(stream.id, index === STREAMS ? CORRUPT_RECORDING : recording);
      streams.push({ id: stream.id, streamer });
    }
    const ending = streams.slice(0, STREAMS);
    const broken = streams[STREAMS]!;
    const end = (stream: { id: string; streamer: SessionBody }) =>
      api.expect(200, 'POST', `/streams/${stream.id}/end`, undefined, stream.streamer.accessToken);
    const archiveOf = (stream: { id: string; streamer: SessionBody }) =>
      api.expect<ArchiveDto>(
        200,
        'GET',
        `/streams/${stream.id}/archive`,
        undefined,
        stream.streamer.accessToken,
      );

    // 1. Four streams end at once, before any worker runs, with every ffmpeg held at the probe's gate: either
    //    every end answers (nothing waited for ffmpeg) or every transcode has started inside the requests.
    await probe.close();
    let answered = 0;
    let answeredAfterTheirTranscode = 0;
    const latencies: number[] = [];
    const endings = ending.map(async (stream) => {
      const started = performance.now();
      await end(stream);
      latencies.push(performance.now() - started);
      answered += 1;
      const runs = await probe.runs();
      if (runs.some((entry) => entry.streamId === stream.id && entry.endedAtMs !== undefined))
        answeredAfterTheirTranscode += 1;
    });
    await waitUntil(
      'every end answered, or every transcode started inside the end requests',
      async () => answered === STREAMS || (await probe.runs()).length >= STREAMS,
      120_000,
    );
    await probe.open();
    await Promise.all(endings);

    // 2. The worker starts on what is queued, gate closed again: open it once the worker holds all it will
    //    take: every pending archive is either held at the gate or waiting in Redis, every job BullMQ counts
    //    active has its ffmpeg held (none still on its way to start), and no fewer are held than the cap allows.
    await probe.close();
    const pending = (await Promise.all(ending.map(archiveOf))).filter(
      (archive) => archive.status !== 'ready',
    ).length;
    const runsBefore = (await probe.runs()).length;
    worker = await startTestWorker(ctx, env);
    await waitUntil(
      'the worker to take all the transcodes it will run at once',
      async () => {
        const held = (await probe.runs()).length - runsBefore;
        const { waiting = 0, active = 0 } = await queue.getJobCounts('waiting', 'active');
        return held + waiting === pending && active === held && (held === pending || held >= CAP);
      },
      120_000,
    );
    await probe.open();
    await waitUntil(
      'every archive ready',
      async () => (await Promise.all(ending.map(archiveOf))).every((archive) => archive.status === 'ready'),
      240_000,
    );
    const mostAtOnce = await probe.maxConcurrent();

    // 3. A recording ffmpeg cannot read: retried with backoff, then failed where the streamer sees it.
    await end(broken);
    let brokenArchive: ArchiveDto | undefined;
    await waitUntil(
      'the broken recording to be given up',
      async () => (brokenArchive = await archiveOf(broken)).status === 'failed',
      120_000,
    );
    const runs = await probe.runs();
    const brokenRuns = runs.filter((entry) => entry.streamId === broken.id).length;
    const nice = await ownNice();
    const atServicePriority = runs.filter((entry) => entry.nice <= nice).length;

    const beyondCap = Math.max(0, mostAtOnce - CAP);
    const notRetried = brokenRuns >= ATTEMPTS ? 0 : 1;
    const notNiced = atServicePriority > 0 ? 1 : 0;
    const sorted = [...latencies].sort((a, b) => a - b);
    ctx.log(
      `${run}: ${answeredAfterTheirTranscode}/${STREAMS} end responses after their transcode, ` +
        `${mostAtOnce} ffmpeg at once, broken recording ran ${brokenRuns}×, ${atServicePriority} runs un-niced`,
    );
    return {
      value: answeredAfterTheirTranscode + beyondCap + notRetried + notNiced,
      details: {
        [`end requests answered after their transcode finished (of ${STREAMS})`]: answeredAfterTheirTranscode,
        'end request latency, slowest (ms)': Math.round(sorted.at(-1) ?? 0),
        [`most ffmpeg processes at once (cap ${CAP})`]: mostAtOnce,
        [`ffmpeg runs on the broken recording (attempts allowed ${ATTEMPTS})`]: brokenRuns,
        "the broken archive's status and attempts": `${brokenArchive?.status} after ${brokenArchive?.attempts}`,
        [`ffmpeg runs not below the service's CPU priority (of ${runs.length})`]: atServicePriority,
      },
    };
  } finally {
    await probe.open();
    await worker?.close();
    await app.close();
    await queue.close();
    await bucket.stop();
    await probe.dispose();
  }
}

export default defineFinding({
  id: 'livestream:S5',
  title: 'FFmpeg transcoding runs synchronously, unbounded and without retries',
  explanation:
    'Ending a stream ran ffmpeg on its recording before answering: the streamer waited for the whole transcode, ' +
    'every stream ending at once ran its own ffmpeg on the API at full priority, and a failed run was never ' +
    'tried again. The remedy records the archive as pending and queues a BullMQ job (one per stream, the job id ' +
    'is the stream id), so the end request answers at once; the worker entry runs at most TRANSCODE_CONCURRENCY ' +
    'ffmpeg processes under `nice`, retries a failed run with exponential backoff and then marks the archive ' +
    'failed (GET /streams/:id/archive shows status and attempts; the job stays in the failed set). Measured ' +
    'through the real app with real ffmpeg (behind a probe that logs and can hold each run) on generated ' +
    `one-second recordings: ${STREAMS} streams end at once, then one with a broken recording. The value adds the end ` +
    `responses that came after their own transcode, the ffmpeg processes alive beyond ${CAP} at once, 1 if the ` +
    `broken recording was not run ${ATTEMPTS} times before failing, and 1 if ffmpeg ran at the service's priority.`,
  fix: [
    'src/archives/stream-archiver.ts',
    'src/archives/transcode.worker.ts',
    'src/archives/transcode.job.ts',
    'src/archives/ffmpeg-hls-transcoder.ts',
  ],
  difficulty: 3,
  hints: [
    'The streamer waits for ffmpeg: how long is a transcode of a two-hour stream?',
    'Answer the end request once the work is recorded, and do the work somewhere else.',
    'Whoever does the work must bound how much runs at once and what happens when a run fails.',
    'The technique: a job queue (BullMQ) with a worker of capped concurrency, retries with exponential backoff and a dead-letter (failed) state, ffmpeg under nice.',
  ],
  seam: 'StreamArchiver (Nest provider StreamsService awaits in POST /streams/:id/end) ← katas/s-5-synchronous-transcoding.flawed.ts SynchronousTranscodingArchiver; FFMPEG_PATH → a probe in front of the real ffmpeg',
  flawsPutBack: {
    'no concurrency cap': `TRANSCODE_CONCURRENCY ${STREAMS + 1}: the worker takes every queued transcode at once`,
    'no retries': 'TRANSCODE_ATTEMPTS 1: a failed run fails the archive for good',
    'ffmpeg at normal priority': 'FFMPEG_NICE 0: ffmpeg competes with the worker for the CPU',
  },
  metric: {
    name: 'end responses after their transcode + ffmpeg beyond the cap + broken recording not retried + un-niced',
    unit: 'faults',
    better: 'lower',
  },
  measure,
  flawed: (faults) => faults >= STREAMS,
  remediated: (faults) => faults === 0,
  timeoutMs: 600_000,
});
