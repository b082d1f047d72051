import {
  defineFinding,
  synthesiseSpeech,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
  type SynthesisedSpeech,
} from '@remedy/testing';
import {
  EveryResultTranslated,
  WholeUtteranceChunker,
} from '../katas/m-2-unspecified-speech-pipeline.flawed.js';
import { AudioChunker, OverlappingAudioChunker } from '../src/speech/audio-chunker.js';
import type { CaptionLatency } from '../src/speech/caption.js';
import { SegmentsToTranslate } from '../src/speech/segments-to-translate.js';
import {
  captionsOf,
  LISTENER_LANGUAGES,
  speak,
  startSpeechStage,
  startStream,
} from './support/speech-fixtures.js';

/** Three sentences, the first short: its caption is the one a listener waits for. */
const SENTENCES = [
  'Good morning everyone.',
  'Today we review the results of the third quarter and the plans for next year.',
  'Please open the report on page four.',
];
/** The remedy's chunk (review b: 1 s); the budget a caption's lag is measured against. */
const CHUNK_MS = 1_000;
/**
 * The speaker talks at twice real time (the pipeline reads time from the audio's own granule positions, so its
 * chunks are still 1 s of audio); a lag is counted in the speaker's audio, so processing time counts double.
 */
const SPEED = 2;

/** The same speech for every variant (synthesis costs seconds). */
let speechOnce: Promise<SynthesisedSpeech> | undefined;

const FLAWS = {
  'partials translated':
    'SegmentsToTranslate ← EveryResultTranslated: 1 s chunks, but every partial result is translated as it grows',
  'whole utterance, finals only':
    'AudioChunker ← WholeUtteranceChunker: final segments only, but the audio waits for the speaker to stop',
  '5 s chunks without overlap':
    'AudioChunker ← OverlappingAudioChunker(5000, 0): chunked, but a chunk five times the budget',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const chunker = (make: () => AudioChunker): ProviderPlug => ({ provide: AudioChunker, useFactory: make });
const everyResult: ProviderPlug = {
  provide: SegmentsToTranslate,
  useFactory: () => new EveryResultTranslated(),
};

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [chunker(() => new WholeUtteranceChunker()), everyResult],
  remediated: [],
  'partials translated': [everyResult],
  'whole utterance, finals only': [chunker(() => new WholeUtteranceChunker())],
  '5 s chunks without overlap': [chunker(() => new OverlappingAudioChunker(5_000, 0))],
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  speechOnce ??= synthesiseSpeech(SENTENCES);
  const speech = await speechOnce;
  const stage = await startSpeechStage(ctx, { plugs: PLUGS[run] });
  try {
    stage.speechToText.speak(speech.sentences);
    const first = stage.listeners.de;
    // Segment 0 is the first sentence (or, where partials are translated, its first partial); the segments of
    // one answer are translated concurrently, so they may arrive in any order.
    const firstSentenceCaption = () => captionsOf(first).find((caption) => caption['segment'] === 0);
    const firstSentenceCaptioned = () => firstSentenceCaption() !== undefined;
    // The lag is read in the speaker's own clock: how much audio it had sent past the first sentence's end
    // when the German listener held that sentence's caption.
    let sentWhenCaptioned: number | undefined;
    let sent = 0;
    await startStream(stage);
    await speak(stage, speech, {
      speed: SPEED,
      onPage: (endMs) => {
        if (sentWhenCaptioned === undefined && firstSentenceCaptioned()) sentWhenCaptioned = sent;
        sent = endMs;
      },
    });
    for (const language of LISTENER_LANGUAGES) {
      const listener = stage.listeners[language];
      await listener.until(`${language} finals`, () =>
        captionsOf(listener).some((caption) => caption['text'] === `[${language}] ${SENTENCES.at(-1)}`),
      );
    }
    sentWhenCaptioned ??= speech.durationMs;
    const firstCaption = firstSentenceCaption() ?? {};
    const lagMs = Math.max(0, sentWhenCaptioned - Number(firstCaption['endMs']));
    const texts = stage.providers.google.calls.reduce((sum, call) => sum + call.segments, 0);
    const textsPerSegment = texts / (SENTENCES.length * LISTENER_LANGUAGES.length);
    const lagInChunks = lagMs / CHUNK_MS;
    const latencies = LISTENER_LANGUAGES.flatMap((language) =>
      captionsOf(stage.listeners[language]).map((caption) => caption['latency'] as CaptionLatency),
    );
    const stageMedian = (key: keyof CaptionLatency) => median(latencies.map((latency) => latency[key]));
    ctx.log(
      `${run}: first caption ${lagMs} ms of audio behind, ${textsPerSegment} provider texts per segment and language`,
    );
    return {
      value: Math.round(Math.max(lagInChunks, textsPerSegment) * 100) / 100,
      details: {
        'first caption: audio the speaker had sent past its sentence (ms)': lagMs,
        'first caption lag ÷ 1 s chunk': Math.round(lagInChunks * 100) / 100,
        'provider texts': texts,
        'provider texts per final segment per language': textsPerSegment,
        'captions received (de + fr)': latencies.length,
        'speech-to-text calls': stage.speechToText.calls.length,
        'speech (ms)': speech.durationMs,
        'median chunking (ms)': stageMedian('chunkingMs'),
        'median queue (ms)': stageMedian('queueMs'),
        'median speech-to-text (ms)': stageMedian('speechToTextMs'),
        'median translation (ms)': stageMedian('translationMs'),
        'median total, last audio → caption published (ms)': stageMedian('totalMs'),
      },
    };
  } finally {
    await stage.close();
  }
}

export default defineFinding({
  id: 'polyglot-b:M-2',
  title: 'Audio pipeline unspecified: no chunking, no rule for partial results, no latency budget per stage',
  explanation:
    'The design names WebRTC and FFmpeg and a 500 ms target but no audio format, chunk size, overlap or budget per ' +
    'stage, so the simplest pipeline recognises an utterance when the speaker stops and translates every result ' +
    'the recogniser sends. The remedy: Ogg Opus 16 kHz mono pages over /speech, 1 s chunks with 200 ms overlap to ' +
    'a streaming speech-to-text service, final segments only translated (once per listener language), captions ' +
    'per language on /chat with each stage timed. Measured through the real app with espeak-ng speech encoded by ' +
    `ffmpeg, streamed at ${SPEED}× real time to our speech-to-text emulator, with German and French listeners: the value is ` +
    'the worse of two ratios that are at most about 1 when the pipeline keeps its budget: how far (in 1 s chunks of ' +
    "audio) the speaker had spoken past the first sentence when its caption arrived, and the provider's texts per " +
    'final segment and language.',
  fix: [
    'src/speech/audio-chunker.ts',
    'src/speech/segments-to-translate.ts',
    'src/speech/speech-pipeline.ts',
    'src/speech/speech.gateway.ts',
  ],
  difficulty: 2,
  hints: [
    'Speak three sentences and watch when the first caption arrives, and how many texts the provider translates.',
    'A listener should not wait for the speaker to stop, nor pay for text the recogniser is about to replace.',
    'Cut the audio into short overlapping chunks as it arrives; translate only what the recogniser calls final.',
    'The technique: streaming recognition with fixed 1 s chunks, 200 ms overlap, and final-result-only translation.',
  ],
  seam:
    'AudioChunker and SegmentsToTranslate (Nest providers inside SpeechPipeline) ← ' +
    'katas/m-2-unspecified-speech-pipeline.flawed.ts WholeUtteranceChunker + EveryResultTranslated',
  flawsPutBack: FLAWS,
  metric: {
    name: 'worse of: first-caption lag in 1 s chunks, provider texts per final segment and language',
    unit: '×',
    better: 'lower',
  },
  measure,
  flawed: (ratio) => ratio >= 4,
  // One text per segment and language; the first caption within 2.5 chunks of its sentence's end (at most one
  // chunk of waiting for audio, the rest processing counted at the speaker's doubled pace).
  remediated: (ratio) => ratio <= 2.5,
  timeoutMs: 120_000,
});
