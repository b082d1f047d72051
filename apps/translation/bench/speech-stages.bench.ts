import { benchSetting, defineBench, percentile, synthesiseSpeech } from '@remedy/testing';
import type { CaptionLatency } from '../src/speech/caption.js';
import {
  captionsOf,
  LISTENER_LANGUAGES,
  speak,
  startSpeechStage,
  startStream,
} from '../findings/support/speech-fixtures.js';
import { translationHarness } from '../findings/support/translation-harness.js';

/** Review b's budget per stage (ms); its network share (50 ms) is the client's and not measured here. */
const BUDGET_MS: Partial<Record<keyof CaptionLatency, number>> = {
  speechToTextMs: 200,
  translationMs: 150,
};
/** The review's total (500 ms) plus the chunking wait the remedy adds on purpose: up to 0.8 s of new audio. */
const TOTAL_BUDGET_MS = 500 + 800;

const SENTENCES = [
  'Good morning everyone and welcome to the quarterly review.',
  'Revenue grew in every region this quarter.',
  'The new office in Lisbon opened in March.',
  'Customer support now answers in eleven languages.',
  'We will hire forty engineers next year.',
  'Please send your questions through the chat.',
  'Thank you all for listening.',
];

/**
 * polyglot-b:M-2's latency budget: espeak-ng speech streamed at real time through /speech (1 s chunks, 200 ms
 * overlap) to the speech-to-text emulator (its default latency: median 150 ms, p99 400 ms) and the translation
 * emulators, captions in German and French on /chat. Reports p50/p95 of each stage per caption against the
 * review's budget. `TRANSLATION_BENCH_SPEECH_ROUNDS` repeats the speech (default 3).
 */
export default defineBench({
  name: 'translation: speech pipeline latency per stage',
  harness: translationHarness,
  async run(ctx) {
    const rounds = benchSetting('TRANSLATION_BENCH_SPEECH_ROUNDS', 3);
    const speech = await synthesiseSpeech(SENTENCES);
    const stage = await startSpeechStage(ctx);
    try {
      stage.speechToText.speak(speech.sentences);
      for (let round = 0; round < rounds; round += 1) {
        await startStream(stage);
        await speak(stage, speech);
      }
      const latencies = LISTENER_LANGUAGES.flatMap((language) =>
        captionsOf(stage.listeners[language]).map((caption) => caption['latency'] as CaptionLatency),
      );
      const result: Record<string, number | string> = {
        captions: latencies.length,
        'speech (ms)': speech.durationMs,
      };
      for (const key of ['chunkingMs', 'queueMs', 'speechToTextMs', 'translationMs', 'totalMs'] as const) {
        const values = latencies.map((latency) => latency[key]);
        const budget = key === 'totalMs' ? TOTAL_BUDGET_MS : BUDGET_MS[key];
        result[`${key} p50`] = Math.round(percentile(values, 50));
        result[`${key} p95`] = Math.round(percentile(values, 95));
        if (budget !== undefined) result[`${key} budget`] = budget;
      }
      ctx.log(`${latencies.length} captions, total p95 ${result['totalMs p95']} ms`);
      return result;
    } finally {
      await stage.close();
    }
  },
});
