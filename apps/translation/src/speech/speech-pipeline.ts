import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import { Histogram, type Registry } from 'prom-client';
import { ChatGateway } from '../chat/chat.gateway.js';
import { Translator } from '../translation/translator.service.js';
import { AudioChunker, type AudioChunk } from './audio-chunker.js';
import { CAPTION_STAGES, type CaptionEvent, type CaptionLatency } from './caption.js';
import type { OggPage } from './ogg-opus-page.js';
import type { RecognitionResult } from './recognition-result.js';
import { SegmentsToTranslate } from './segments-to-translate.js';
import { SpeechSessions } from './speech-sessions.js';
import { SpeechToTextClient } from './speech-to-text-client.js';

/** Who is speaking into which session, and how to tell them what happened to their audio. */
export interface Speaker {
  sessionId: string;
  streamId: string;
  organisationId: string;
  sourceLanguage: string;
  notify(message: Record<string, unknown>): void;
}

/** One speaker's audio in the pipeline: pages in as they arrive, `finish` once the speaker stops. */
export interface SpeechStream {
  page(page: OggPage): void;
  /** Flushes the last chunk, finalises the transcript and waits until every caption is published. */
  finish(): Promise<{ segments: number }>;
}

/** Where the chunk's audio came from: when each page (by its end in the audio) reached the server. */
interface PageArrival {
  endMs: number;
  at: number;
}

/**
 * polyglot-b:M-2: a speaker's audio → chunks (AudioChunker: 1 s, 200 ms overlap) → the speech-to-text service
 * (one call at a time per stream, in order) → final segments only (SegmentsToTranslate) → the Translator once
 * per distinct language of the session's participants → a caption per language on /chat. Each stage is timed
 * from the moment the segment's last audio arrived; the durations travel in the caption and feed the
 * speech_stage_seconds histogram.
 */
@Injectable()
export class SpeechPipeline {
  private readonly logger = new Logger(SpeechPipeline.name);
  private readonly stages: Histogram<'stage'>;

  constructor(
    @Inject(AudioChunker) private readonly chunker: AudioChunker,
    @Inject(SegmentsToTranslate) private readonly segments: SegmentsToTranslate,
    @Inject(SpeechToTextClient) private readonly speechToText: SpeechToTextClient,
    @Inject(SpeechSessions) private readonly sessions: SpeechSessions,
    @Inject(Translator) private readonly translator: Translator,
    @Inject(ChatGateway) private readonly captions: ChatGateway,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.stages = new Histogram({
      name: 'speech_stage_seconds',
      help: 'Time a caption spent in each stage of the speech pipeline; total: from its last audio to its publication',
      labelNames: ['stage'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers: [registry],
    });
  }

  open(speaker: Speaker, headers: readonly OggPage[]): SpeechStream {
    const chunks = this.chunker.open(headers);
    const arrivals: PageArrival[] = [];
    const captions = new Set<Promise<void>>();
    let recognition: Promise<void> = Promise.resolve();
    let segment = 0;

    const onResults = (
      results: RecognitionResult[],
      chunkReadyAt: number,
      queuedAt: number,
      startedAt: number,
    ) => {
      const answeredAt = performance.now();
      for (const result of results.filter((r) => !r.isFinal))
        speaker.notify({ type: 'transcript', final: false, text: result.transcript, endMs: result.endMs });
      for (const result of this.segments.select(results)) {
        const audioAt = arrivalOf(arrivals, result.endMs) ?? chunkReadyAt;
        const timing = {
          chunkingMs: Math.max(0, chunkReadyAt - audioAt),
          queueMs: startedAt - queuedAt,
          speechToTextMs: answeredAt - startedAt,
          audioAt,
          answeredAt,
        };
        // Never rejects: a failed caption is the speaker's error frame, not an unhandled rejection.
        const caption = this.caption(speaker, segment, result, timing)
          .catch((error: unknown) => {
            this.logger.warn(`caption of segment ${segment} failed: ${String(error)}`);
            speaker.notify({
              type: 'error',
              code: 'internal',
              message: `segment ${segment} was not captioned`,
            });
          })
          .finally(() => captions.delete(caption));
        captions.add(caption);
        segment += 1;
      }
      // Arrivals before the last final can no longer be a segment's end.
      const settled = results.filter((r) => r.isFinal).at(-1)?.endMs ?? 0;
      while (arrivals.length > 1 && (arrivals[0] as PageArrival).endMs < settled) arrivals.shift();
    };

    const recognise = (chunk: AudioChunk | 'finish') => {
      const queuedAt = performance.now();
      const chunkReadyAt = chunk === 'finish' ? queuedAt : chunk.lastPageAt;
      recognition = recognition.then(async () => {
        const startedAt = performance.now();
        try {
          const results =
            chunk === 'finish'
              ? await this.speechToText.finish(speaker.streamId)
              : await this.speechToText.recognise(speaker.streamId, chunk.ogg);
          onResults(results, chunkReadyAt, queuedAt, startedAt);
        } catch (error) {
          this.logger.warn(`speech-to-text failed for stream ${speaker.streamId}: ${String(error)}`);
          speaker.notify({
            type: 'error',
            code: 'speech-to-text-unavailable',
            message: 'this audio could not be transcribed; keep speaking',
            details:
              chunk === 'finish'
                ? []
                : [{ field: 'audio', problems: [`${chunk.startMs}–${chunk.endMs} ms lost`] }],
          });
        }
      });
    };

    return {
      page: (page) => {
        const at = performance.now();
        arrivals.push({ endMs: page.endMs, at });
        for (const chunk of chunks.push(page, at)) recognise(chunk);
      },
      finish: async () => {
        for (const chunk of chunks.finish(performance.now())) recognise(chunk);
        recognise('finish');
        await recognition;
        while (captions.size > 0) await Promise.all([...captions]);
        return { segments: segment };
      },
    };
  }

  /** Translates one final segment into each language of the session (once each) and publishes the captions. */
  private async caption(
    speaker: Speaker,
    segment: number,
    result: RecognitionResult,
    timing: Pick<CaptionLatency, 'chunkingMs' | 'queueMs' | 'speechToTextMs'> & {
      audioAt: number;
      answeredAt: number;
    },
  ): Promise<void> {
    const languages = await this.sessions.languages(speaker.sessionId);
    await Promise.all(
      languages.map(async (language) => {
        let text = result.transcript;
        try {
          if (language !== speaker.sourceLanguage)
            [{ text = '' } = {}] = await this.translator.translate({
              organisationId: speaker.organisationId,
              sourceLanguage: speaker.sourceLanguage,
              targetLanguage: language,
              texts: [result.transcript],
              kind: 'caption',
              sessionId: speaker.sessionId,
            });
        } catch {
          speaker.notify({
            type: 'error',
            code: 'translation-unavailable',
            message: `segment ${segment} could not be translated`,
            details: [{ field: 'language', problems: [`no caption in ${language}`] }],
          });
          return;
        }
        const translatedAt = performance.now();
        const latency: CaptionLatency = {
          chunkingMs: timing.chunkingMs,
          queueMs: timing.queueMs,
          speechToTextMs: timing.speechToTextMs,
          translationMs: translatedAt - timing.answeredAt,
          totalMs: translatedAt - timing.audioAt,
        };
        const event: CaptionEvent = {
          type: 'caption',
          sessionId: speaker.sessionId,
          streamId: speaker.streamId,
          segment,
          language,
          text,
          startMs: result.startMs,
          endMs: result.endMs,
          latency,
        };
        this.observe(latency);
        await this.captions.publishCaption(speaker.sessionId, language, event);
      }),
    );
  }

  private observe(latency: CaptionLatency): void {
    const ms: Record<(typeof CAPTION_STAGES)[number], number> = {
      chunking: latency.chunkingMs,
      queue: latency.queueMs,
      speech_to_text: latency.speechToTextMs,
      translation: latency.translationMs,
      total: latency.totalMs,
    };
    for (const stage of CAPTION_STAGES) this.stages.observe({ stage }, ms[stage] / 1_000);
  }
}

/** When the page holding audio time `endMs` arrived (the first page ending at or after it). */
function arrivalOf(arrivals: readonly PageArrival[], endMs: number): number | undefined {
  return arrivals.find((arrival) => arrival.endMs >= endMs)?.at;
}
