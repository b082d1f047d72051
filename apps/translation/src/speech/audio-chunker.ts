import type { OggPage } from './ogg-opus-page.js';

/** A piece of the speaker's audio for one recognition call: a playable Ogg Opus stream on its own. */
export interface AudioChunk {
  /** The stream's header pages then this chunk's audio pages. */
  ogg: Buffer;
  startMs: number;
  endMs: number;
  /** When the chunk's last page reached the server (ms, performance.now()): where its latency starts. */
  lastPageAt: number;
}

/** A speaker's stream cut into chunks: pages go in as they arrive, chunks come out when they are full. */
export interface AudioChunkerStream {
  push(page: OggPage, at: number): AudioChunk[];
  /** The stream ended: what is left, as a last chunk. */
  finish(at: number): AudioChunk[];
}

/**
 * polyglot-b:M-2's seam: how the speech pipeline cuts a speaker's audio before speech-to-text. The remedy is
 * OverlappingAudioChunker (fixed chunks with an overlap); katas/m-2-unspecified-speech-pipeline.flawed.ts puts
 * the review's unspecified design back.
 */
export abstract class AudioChunker {
  abstract open(headers: readonly OggPage[]): AudioChunkerStream;
}

/**
 * Cuts the audio into chunks of `chunkMs` (review b: 1 s), each beginning `overlapMs` (200 ms) before the
 * previous one ended, so a word cut by a chunk boundary is heard whole in the next chunk. A chunk leaves as soon
 * as its last page arrives: a caption waits at most one chunk for its audio, never for the utterance's end.
 */
export class OverlappingAudioChunker extends AudioChunker {
  constructor(
    private readonly chunkMs: number,
    private readonly overlapMs: number,
  ) {
    super();
  }

  open(headers: readonly OggPage[]): AudioChunkerStream {
    const head = Buffer.concat(headers.map((page) => page.bytes));
    const { chunkMs, overlapMs } = this;
    let pages: OggPage[] = [];
    let startMs = 0;
    const cut = (at: number): AudioChunk => ({
      ogg: Buffer.concat([head, ...pages.map((page) => page.bytes)]),
      startMs,
      endMs: pages.at(-1)?.endMs ?? startMs,
      lastPageAt: at,
    });
    return {
      push(page, at) {
        pages.push(page);
        if (page.endMs - startMs < chunkMs) return [];
        const chunk = cut(at);
        // The next chunk starts with the pages of this one's last overlapMs.
        startMs = page.endMs - overlapMs;
        pages = pages.filter((kept) => kept.endMs > startMs);
        return [chunk];
      },
      finish(at) {
        const fresh = pages.some((page) => page.endMs > startMs + overlapMs) || startMs === 0;
        return pages.length > 0 && fresh ? [cut(at)] : [];
      },
    };
  }
}
