import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const recordings = new Map<number, Promise<Buffer>>();

/**
 * A stream's recording as the media server would leave it: H.264 + AAC in MP4, made with ffmpeg's test sources
 * (a test pattern and a sine tone), `seconds` long at 640×360. The default 4 s gives two HLS segments per
 * rendition, quick to transcode; a proof that only counts transcodes takes a shorter one. Made once per length
 * per process.
 */
export function testRecording(seconds = 4): Promise<Buffer> {
  let recording = recordings.get(seconds);
  if (recording === undefined) {
    recording = makeRecording(seconds);
    recordings.set(seconds, recording);
  }
  return recording;
}

async function makeRecording(seconds: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'live-recording-'));
  try {
    const file = join(dir, 'recording.mp4');
    await promisify(execFile)('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      ...['-c:a', 'aac', '-shortest', file],
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bytes that are no video at all: ffmpeg fails on them every time (a recording cut off, a broken upload). */
export const CORRUPT_RECORDING = Buffer.from('this is not an mp4 file\n'.repeat(64));
