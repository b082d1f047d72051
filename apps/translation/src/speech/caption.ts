/**
 * Where a caption's time went, per stage, in ms (polyglot-b:M-2's latency budget): from the moment the
 * segment's last audio reached the server to the caption's publication (delivery to a listener is one
 * Redis hop and one socket write after it).
 */
export interface CaptionLatency {
  /** Waiting for the chunk holding the segment's end to fill (at most one chunk with the remedy). */
  chunkingMs: number;
  /** Waiting behind the stream's previous recognition call. */
  queueMs: number;
  speechToTextMs: number;
  translationMs: number;
  /** From the segment's last audio to the caption's publication (the stages above, end to end). */
  totalMs: number;
}

/** The event a listener receives on /chat, in the language it joined the session in. */
export interface CaptionEvent {
  type: 'caption';
  sessionId: string;
  /** The speaker's stream and the segment's index in it: captions of one segment share them across languages. */
  streamId: string;
  segment: number;
  language: string;
  text: string;
  /** Where the segment is in the speaker's audio. */
  startMs: number;
  endMs: number;
  latency: CaptionLatency;
}

/** A caption's stages, also observed as the speech_stage_seconds histogram. */
export const CAPTION_STAGES = ['chunking', 'queue', 'speech_to_text', 'translation', 'total'] as const;
