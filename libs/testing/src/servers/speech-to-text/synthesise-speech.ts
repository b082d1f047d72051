import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SpokenSentence } from './speech-to-text-emulator.js';

const run = promisify(execFile);

export interface SynthesisedSpeech {
  /** Ogg Opus, 16 kHz mono (unless asked otherwise), 32 kbit/s, one page per `pageMs` of audio. */
  ogg: Buffer;
  /** Each sentence with the audio time it ends at: what the speech-to-text emulator should "hear". */
  sentences: SpokenSentence[];
  durationMs: number;
}

/**
 * Real speech for tests: each sentence spoken by espeak-ng (a WAV each, so its length is known), then joined
 * and encoded by ffmpeg to Ogg Opus 16 kHz mono at 32 kbit/s, the format a speaker's client sends.
 */
export async function synthesiseSpeech(
  texts: readonly string[],
  { voice = 'en', pageMs = 100, channels = 1 }: { voice?: string; pageMs?: number; channels?: number } = {},
): Promise<SynthesisedSpeech> {
  const directory = await mkdtemp(join(tmpdir(), 'speech-'));
  try {
    const sentences: SpokenSentence[] = [];
    let endMs = 0;
    const inputs: string[] = [];
    for (const [index, text] of texts.entries()) {
      const wav = join(directory, `${index}.wav`);
      await run('espeak-ng', ['-v', voice, '-w', wav, text]);
      endMs += wavDurationMs(await readFile(wav));
      sentences.push({ text, endMs: Math.round(endMs) });
      inputs.push('-i', wav);
    }
    const ogg = join(directory, 'speech.ogg');
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', ...inputs],
      ...['-filter_complex', `concat=n=${texts.length}:v=0:a=1`],
      ...['-ar', '16000', '-ac', String(channels), '-c:a', 'libopus', '-b:a', '32k'],
      ...['-page_duration', String(pageMs * 1_000), ogg],
    ]);
    return { ogg: await readFile(ogg), sentences, durationMs: Math.round(endMs) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** A PCM WAV's length: its data bytes over the byte rate of its fmt chunk. */
function wavDurationMs(wav: Buffer): number {
  const byteRate = wav.readUInt32LE(28);
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    // espeak-ng streams its WAV and may leave the data size unset (0 or 0xffffffff): the rest of the file.
    if (id === 'data')
      return ((size === 0 || size === 0xffff_ffff ? wav.length - offset - 8 : size) / byteRate) * 1_000;
    offset += 8 + size;
  }
  throw new Error('WAV without a data chunk');
}

/** Splits an Ogg stream into its pages, as a client sends them one WebSocket frame each. */
export function oggPages(ogg: Buffer): Buffer[] {
  const pages: Buffer[] = [];
  let offset = 0;
  while (offset < ogg.length) {
    const segments = ogg[offset + 26] as number;
    let length = 27 + segments;
    for (let i = 0; i < segments; i += 1) length += ogg[offset + 27 + i] as number;
    pages.push(ogg.subarray(offset, offset + length));
    offset += length;
  }
  return pages;
}
