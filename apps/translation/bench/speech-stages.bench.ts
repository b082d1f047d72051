import { benchSetting, defineBench, percentile, synthesiseSpeech } from '@remedy/testing';
import type { CaptionLatency } from '../src/speech/caption.js';
import {
  LISTENER_LANGUAGES,
  type SpeechStage,
  speak,
  startSpeechStage,
  startStream,
} from '../findings/support/speech-fixtures.js';
import { translationHarness } from '../findings/support/translation-harness.js';

/**
 * Review b's budget per stage (ms). Its network share (50 ms) is measured here on loopback, as the client sees it:
 * the speaker's page leaving plus the caption's push to the listener (see `networkAndPushMs`).
 */
const BUDGET_MS: Record<string, number> = {
  networkAndPushMs: 50,
  speechToTextMs: 200,
  translationMs: 150,
};
/** The review's total (500 ms) for the stages it names: network, speech-to-text, translation, push. */
const REVIEW_TOTAL_BUDGET_MS = 500;
/** The review's total plus the chunking wait the remedy adds on purpose: up to 0.8 s of new audio. */
const TOTAL_BUDGET_MS = REVIEW_TOTAL_BUDGET_MS + 800;

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
 * review's budget: the server's stages from the caption's own `latency`, and two legs seen by the clients (same
 * process, same clock): **client end to end**, from the speaker's page carrying the segment's last audio leaving
 * to the caption's arrival at the listener, and **network and push**, that minus the server's total (the page's
 * trip to the server and the caption's Redis hop and socket write to the listener).
 * `TRANSLATION_BENCH_SPEECH_ROUNDS` repeats the speech (default 3).
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
      // Per round, when each page left the speaker (its audio end time → performance.now()).
      const pagesSent: PageSent[][] = [];
      for (let round = 0; round < rounds; round += 1) {
        await startStream(stage);
        const sent: PageSent[] = [];
        pagesSent.push(sent);
        await speak(stage, speech, { onPage: (endMs) => sent.push({ endMs, at: performance.now() }) });
      }
      const latencies = LISTENER_LANGUAGES.flatMap((language) => stagesSeenBy(stage, language, pagesSent));
      const result: Record<string, number | string> = {
        captions: latencies.length,
        'speech (ms)': speech.durationMs,
      };
      const keys = [
        'networkAndPushMs',
        'chunkingMs',
        'queueMs',
        'speechToTextMs',
        'translationMs',
        'totalMs',
        'clientEndToEndMs',
        'clientEndToEndBeyondChunkingMs',
      ] as const;
      for (const key of keys) {
        const values = latencies.map((latency) => latency[key]);
        const budget =
          key === 'totalMs'
            ? TOTAL_BUDGET_MS
            : key === 'clientEndToEndBeyondChunkingMs'
              ? REVIEW_TOTAL_BUDGET_MS
              : BUDGET_MS[key];
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

interface PageSent {
  endMs: number;
  at: number;
}

type SeenStages = CaptionLatency & {
  networkAndPushMs: number;
  clientEndToEndMs: number;
  /** The client's end to end without the chunking wait: the stages the review's 500 ms covers. */
  clientEndToEndBeyondChunkingMs: number;
};

/**
 * A listener's captions with the legs the clients saw. Each round is a stream of its own and rounds never
 * overlap, so a caption's round is the order its stream was first seen in. The page that carried a segment's
 * last audio is the first to end at or after it, as the server matches it.
 */
function stagesSeenBy(
  stage: SpeechStage,
  language: (typeof LISTENER_LANGUAGES)[number],
  pagesSent: readonly PageSent[][],
): SeenStages[] {
  const listener = stage.listeners[language];
  const rounds: string[] = [];
  return listener.frames.flatMap((frame, index) => {
    if (frame['type'] !== 'caption') return [];
    const streamId = frame['streamId'] as string;
    if (!rounds.includes(streamId)) rounds.push(streamId);
    const round = rounds.indexOf(streamId);
    const latency = frame['latency'] as CaptionLatency;
    const page = pagesSent[round]?.find((sent) => sent.endMs >= (frame['endMs'] as number));
    if (page === undefined) throw new Error(`a caption of round ${round} has no page that carried its end`);
    const clientEndToEndMs = (listener.arrivedAt[index] as number) - page.at;
    return [
      {
        ...latency,
        clientEndToEndMs,
        networkAndPushMs: clientEndToEndMs - latency.totalMs,
        clientEndToEndBeyondChunkingMs: clientEndToEndMs - latency.chunkingMs,
      },
    ];
  });
}
