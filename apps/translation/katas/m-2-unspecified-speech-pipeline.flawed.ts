import { AudioChunker, type AudioChunk, type AudioChunkerStream } from '../src/speech/audio-chunker.js';
import type { OggPage } from '../src/speech/ogg-opus-page.js';
import type { RecognitionResult } from '../src/speech/recognition-result.js';
import { SegmentsToTranslate } from '../src/speech/segments-to-translate.js';

/*
 * polyglot-b:M-2. The reviewed design names "WebRTC, FFmpeg" for audio and a 500 ms translation target, but no
 * chunking, no rule for partial results and no latency budget per stage. Left unspecified, the simplest pipeline
 * records the speaker's utterance and recognises it when it ends, and translates whatever the recogniser says.
 */

/** The whole utterance buffered until the speaker stops, then sent to speech-to-text in one call. */
export class WholeUtteranceChunker extends AudioChunker {
  open(headers: readonly OggPage[]): AudioChunkerStream {
    const pages: OggPage[] = [];
    return {
      push(page) {
        pages.push(page);
        return [];
      },
      finish(at): AudioChunk[] {
        if (pages.length === 0) return [];
        return [
          {
            ogg: Buffer.concat([...headers, ...pages].map((page) => page.bytes)),
            startMs: 0,
            endMs: pages.at(-1)?.endMs ?? 0,
            lastPageAt: at,
          },
        ];
      },
    };
  }
}

/** Every recognition result translated, partials included: each chunk re-translates the sentence so far. */
export class EveryResultTranslated extends SegmentsToTranslate {
  select(results: readonly RecognitionResult[]): RecognitionResult[] {
    return results.filter((result) => result.transcript.trim() !== '');
  }
}
