import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig, SpeechConfig } from '../config.js';
import type { RecognitionResult } from './recognition-result.js';

export class SpeechToTextError extends Error {
  constructor(readonly status: number) {
    super(`speech-to-text answered ${status === 0 ? 'nothing in time' : status}`);
    this.name = 'SpeechToTextError';
  }
}

/** Longest Retry-After honoured: past it the chunk is reported lost rather than delaying every caption after it. */
const MAX_RETRY_WAIT_MS = 1_000;
const ATTEMPTS = 2;

/**
 * The streaming speech-to-text service over HTTP: a chunk of Ogg Opus per call on the speaker's stream, and a
 * finish call when the speaker stops. Each call has a timeout; a 429 (after its Retry-After, up to 1 s), a 5xx or
 * a timeout is tried once more, then the error reaches the pipeline, which tells the speaker.
 */
@Injectable()
export class SpeechToTextClient {
  private readonly config: SpeechConfig;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.config = config.speech;
  }

  get configured(): boolean {
    return this.config.sttKey !== undefined;
  }

  recognise(streamId: string, ogg: Buffer): Promise<RecognitionResult[]> {
    return this.call(`${streamId}:recognize`, ogg);
  }

  finish(streamId: string): Promise<RecognitionResult[]> {
    return this.call(`${streamId}:finish`, undefined);
  }

  private async call(path: string, ogg: Buffer | undefined): Promise<RecognitionResult[]> {
    let status = 0;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      let retryAfterMs = 0;
      try {
        const response = await fetch(new URL(`/v1/streams/${path}`, this.config.sttUrl), {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.config.sttKey ?? ''}`,
            ...(ogg === undefined ? {} : { 'content-type': 'audio/ogg; codecs=opus' }),
          },
          ...(ogg === undefined ? {} : { body: ogg }),
          signal: AbortSignal.timeout(this.config.sttTimeoutMs),
        });
        status = response.status;
        if (response.ok) return ((await response.json()) as { results: RecognitionResult[] }).results;
        await response.body?.cancel();
        if (status !== 429 && status < 500) break;
        retryAfterMs = Math.min(
          Number(response.headers.get('retry-after') ?? 0) * 1_000 || 0,
          MAX_RETRY_WAIT_MS,
        );
      } catch {
        status = 0;
      }
      if (attempt < ATTEMPTS && retryAfterMs > 0)
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
    }
    throw new SpeechToTextError(status);
  }
}
