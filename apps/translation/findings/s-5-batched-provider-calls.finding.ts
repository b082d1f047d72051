import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { PerTextProviderBatcher, ZeroWindowProviderBatcher } from '../katas/s-5-call-per-text.flawed.js';
import { ProviderBatcher } from '../src/translation/batching/provider-batcher.js';
import { ProviderTranslator } from '../src/translation/providers/provider-translator.js';
import { ApiClient } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';
import { translateCall } from './support/translate-call.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** Chat messages arriving together, each wanted in every listener language. */
const MESSAGES = 100;
const LANGUAGES = ['de', 'fr', 'es', 'it', 'pt'];
const TEXTS = MESSAGES * LANGUAGES.length;
/** Calls each pair may have out at once (TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR, the service's default). */
const CALLS_IN_FLIGHT_PER_PAIR = 4;

const FLAWS = {
  'a window of 0':
    "ProviderBatcher ← ZeroWindowProviderBatcher: each request's texts go to the provider as they arrive, never with another request's",
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function plug(make: (provider: ProviderTranslator) => ProviderBatcher): ProviderPlug {
  return { provide: ProviderBatcher, inject: [ProviderTranslator], useFactory: make };
}

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [plug((provider) => new PerTextProviderBatcher(provider))],
  remediated: [],
  'a window of 0': [plug((provider) => new ZeroWindowProviderBatcher(provider))],
};

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  const testApp = await startTestApp(
    ctx,
    {
      ...providers.env,
      // Held calls must outlive the measurement, and every call in flight needs a connection of its own to reach
      // the emulator (the pool would otherwise queue them in the app where the count cannot see them).
      TRANSLATION_TIMEOUT_MS: '60000',
      TRANSLATION_POOL_SIZE: String(TEXTS + 10),
      TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR: String(CALLS_IN_FLIGHT_PER_PAIR),
    },
    { plugs: PLUGS[run] },
  );
  try {
    const api = new ApiClient(testApp.url);
    const organiser = (await api.signup('s5_organiser@example.com')).accessToken;
    const google = providers.google;
    const batcher = testApp.app.get(ProviderBatcher);
    // The provider answers nothing until every text has reached it or waits in the batcher: the messages
    // coincide by construction, not by timing.
    google.hold();
    const answers = Promise.all(
      Array.from({ length: MESSAGES }, (_, message) =>
        LANGUAGES.map((targetLanguage) =>
          translateCall(api, organiser, [`Chat message ${message} of the batching measurement`], {
            targetLanguage,
          }),
        ),
      ).flat(),
    );
    const segmentsReceived = () => google.calls.reduce((sum, call) => sum + call.segments, 0);
    await until(
      () => segmentsReceived() + batcher.waiting === TEXTS,
      'every text at the provider or batcher',
    );
    const callsWhileHeld = google.calls.length;
    google.release();
    const answered = await answers;
    const calls = google.calls.length;
    ctx.log(`${run}: ${calls} Google calls for ${MESSAGES} messages into ${LANGUAGES.length} languages`);
    return {
      value: calls,
      details: {
        'requests answered 200': answered.filter((answer) => answer.status === 200).length,
        'texts to translate (messages × languages)': TEXTS,
        'Google calls': calls,
        'Google calls out while the provider held them': callsWhileHeld,
        'segments translated': google.segmentsTranslated,
        'DeepL calls': providers.deepl.calls.length,
      },
    };
  } finally {
    await testApp.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-b:S-5',
  title: 'One translation API call per target language per message',
  explanation:
    'The design calls the provider for every message and every target language on its own, so a busy chat costs ' +
    'a call per message per language. The remedy sends texts through a micro-batcher: requests arriving within a ' +
    'short window (TRANSLATION_BATCH_WINDOW_MS, 15 ms) are grouped by organisation, pair and glossary version ' +
    "into one engine call (which splits by the provider's segment and character limits), and a group has at most " +
    `${CALLS_IN_FLIGHT_PER_PAIR} calls in flight (TRANSLATION_MAX_CALLS_IN_FLIGHT_PER_PAIR), so texts arriving at ` +
    'that bound ride together in the next. Measured through HTTP on the real app: ' +
    `${MESSAGES} chat messages each POSTed for ${LANGUAGES.length} languages while the Google emulator holds its ` +
    'answers until every text has reached it or waits in the batcher; the value is the calls Google received.',
  fix: [
    'src/translation/batching/micro-batching-provider-batcher.ts',
    'src/translation/batching/provider-batcher.ts',
    'src/translation/translator.service.ts',
  ],
  difficulty: 2,
  hints: [
    'Count the calls the provider receives when a hundred messages arrive together.',
    "The provider's batch call takes many texts for one language pair.",
    'Let requests wait a few milliseconds for one another, and never mix glossaries in one call.',
    'The technique: micro-batching keyed by (organisation, pair, glossary version), a few calls in flight per key.',
  ],
  seam: 'ProviderBatcher (Nest provider between the Translator and the engines) ← katas/s-5-call-per-text.flawed.ts PerTextProviderBatcher',
  flawsPutBack: FLAWS,
  metric: {
    name: `Google calls for ${MESSAGES} messages into ${LANGUAGES.length} languages`,
    unit: 'calls',
    better: 'lower',
  },
  measure,
  flawed: (calls) => calls >= TEXTS,
  // Per language at most the calls out while Google holds them, then one carrying everything that waited: however
  // the 500 requests spread over windows, never more.
  remediated: (calls) => calls <= (CALLS_IN_FLIGHT_PER_PAIR + 1) * LANGUAGES.length,
  timeoutMs: 120_000,
});
