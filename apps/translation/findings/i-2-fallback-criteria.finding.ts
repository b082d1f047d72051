import { QUEUE_REDIS } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import type { Redis } from 'ioredis';
import {
  FallBackOnAnyFailureTranslator,
  NEVER_RETRY,
  RETRY_RATE_LIMITS,
} from '../katas/i-2-fallback-on-any-failure.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { buildProviderTranslator } from '../src/translation/providers/build-provider-translator.js';
import type { FailurePolicy } from '../src/translation/providers/provider-call-error.js';
import { TranslationMetrics } from '../src/translation/metrics/translation-metrics.js';
import { ProviderConnections } from '../src/translation/providers/provider-connections.js';
import { ProviderTranslator } from '../src/translation/providers/provider-translator.js';
import { ApiClient } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';
import { translateCall } from './support/translate-call.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** Batches per phase: one transient 5xx before each, then Google refusing every call with 429. */
const BATCHES = 10;

const FLAWS = {
  'retry a 429 on the same engine':
    'the failure policy retries rate-limited calls on Google before falling back',
  'never retry': 'the failure policy retries nothing: a single transient 5xx sends the batch to DeepL',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function policyPlug(policy: FailurePolicy): ProviderPlug {
  return {
    provide: ProviderTranslator,
    inject: [APP_CONFIG, ProviderConnections, QUEUE_REDIS, TranslationMetrics],
    useFactory: (
      config: AppConfig,
      connections: ProviderConnections,
      redis: Redis,
      metrics: TranslationMetrics,
    ) => buildProviderTranslator(config.providers, connections, redis, metrics, policy),
  };
}

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [
    {
      provide: ProviderTranslator,
      inject: [APP_CONFIG, ProviderConnections],
      useFactory: (config: AppConfig, connections: ProviderConnections) =>
        new FallBackOnAnyFailureTranslator(config.providers, connections),
    },
  ],
  remediated: [],
  'retry a 429 on the same engine': [policyPlug(RETRY_RATE_LIMITS)],
  'never retry': [policyPlug(NEVER_RETRY)],
};

/** The fallbacks the service reports at /metrics (every reason), or 0 when it reports none. */
async function reportedFallbacks(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^translation_fallbacks_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  // A breaker volume above the measurement's failures keeps the breaker out of it: this is about the policy.
  const testApp = await startTestApp(
    ctx,
    { ...providers.env, TRANSLATION_BREAKER_VOLUME: '1000' },
    { plugs: PLUGS[run] },
  );
  try {
    const api = new ApiClient(testApp.url);
    const organiser = (await api.signup('i2_organiser@example.com')).accessToken;
    const { google, deepl } = providers;

    // Phase 1: one 503 before each batch, the kind a second try gets through.
    const transient = [];
    for (let i = 0; i < BATCHES; i += 1) {
      google.failNext(503);
      transient.push(await translateCall(api, organiser, [`Transient failure ${i}`]));
    }
    const fellBackOnTransient = transient.filter(
      (answer) => answer.translations[0]?.source === 'deepl-v2',
    ).length;

    // Phase 2: Google refuses every call with 429 (its quota is spent for now).
    google.requestsPerSecond = 0;
    const googleCallsBefore = google.calls.length;
    const limited = [];
    for (let i = 0; i < BATCHES; i += 1)
      limited.push(await translateCall(api, organiser, [`Rate limited ${i}`]));
    const repeatedAfter429 = google.calls.length - googleCallsBefore - BATCHES;

    const fallbacksSeen = deepl.calls.filter((call) => call.status === 200).length;
    const reported = await reportedFallbacks(testApp.url);
    const unreported = Math.abs(fallbacksSeen - reported);
    ctx.log(
      `${run}: ${fellBackOnTransient} fallbacks on a transient 5xx, ${repeatedAfter429} Google calls repeated after a 429, ` +
        `${unreported} fallbacks missing from /metrics`,
    );
    return {
      value: fellBackOnTransient + repeatedAfter429 + unreported,
      details: {
        'phase 1: batches answered': transient.filter((answer) => answer.status === 200).length,
        'phase 1: sent to DeepL after one transient 5xx': fellBackOnTransient,
        'phase 2: batches answered': limited.filter((answer) => answer.status === 200).length,
        'phase 2: Google calls beyond one per batch after a 429': repeatedAfter429,
        'DeepL translations': fallbacksSeen,
        'fallbacks reported (translation_fallbacks_total)': reported,
      },
    };
  } finally {
    await testApp.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-b:I-2',
  title: 'Fallback engine criteria vague: which errors retry, which fall back, and no fallback rate',
  explanation:
    'The design falls back to DeepL "when Google fails" without saying which failures retry and which fall back, ' +
    'and counts nothing. A single transient 5xx then sends the batch to the other engine, and a degrading primary ' +
    'shows only on the bill. The remedy writes the table down once (provider-call-error.ts): 5xx and timeouts are ' +
    'retried once on the same engine while its breaker is closed, then fall back; a 429 or a spent quota falls back ' +
    'at once and is never retried where it was refused; a refused request fails without fallback. ' +
    'translation_fallbacks_total{reason} over translation_provider_batches_total is the fallback rate. Measured ' +
    `through HTTP on the real app: ${BATCHES} batches each meeting one Google 503, then ${BATCHES} batches while ` +
    'Google answers 429. The value adds the batches sent to DeepL after a single 5xx, the Google calls repeated ' +
    'after a 429, and the fallbacks missing from /metrics.',
  fix: [
    'src/translation/providers/provider-call-error.ts',
    'src/translation/providers/guarded-provider-translator.ts',
  ],
  difficulty: 2,
  hints: [
    'Not every failure means the same thing: some pass on a second try, some say "not now".',
    'A 429 retried at once is refused again; a 503 retried once usually succeeds.',
    'If nobody counts the fallbacks, nobody notices the primary degrading.',
    'The technique: a written failure policy (retry / fall back / fail) and a fallback counter by reason.',
  ],
  seam: 'ProviderTranslator (Nest provider under Translator, behind POST /translations) ← katas/i-2-fallback-on-any-failure.flawed.ts FallBackOnAnyFailureTranslator; the cousins are failure policies of the service’s own translator',
  flawsPutBack: FLAWS,
  metric: {
    name: 'fallbacks after one transient 5xx + Google calls repeated after a 429 + fallbacks missing from /metrics',
    unit: 'decisions',
    better: 'lower',
  },
  measure,
  flawed: (decisions) => decisions >= BATCHES,
  remediated: (decisions) => decisions === 0,
  timeoutMs: 120_000,
});
