import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  guardedWithBudgetPerInstance,
  guardedWithoutBudget,
  RetryingProviderTranslator,
} from '../katas/c-2-unbounded-retries.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import type { AppConfig } from '../src/config.js';
import { TranslationMetrics } from '../src/translation/metrics/translation-metrics.js';
import { ProviderConnections } from '../src/translation/providers/provider-connections.js';
import { ProviderTranslator } from '../src/translation/providers/provider-translator.js';
import { ApiClient } from './support/api-client.js';
import { runConcurrently } from './support/run-concurrently.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';
import { translateCall } from './support/translate-call.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** Google's quota in the emulator, and what the app is told its account has. */
const REQUESTS_PER_SECOND = 10;
/** Translations of new texts, spread over two instances, 24 in flight: several times the quota per second. */
const REQUESTS = 120;
const CONCURRENCY = 24;

const FLAWS = {
  'breaker without a quota budget':
    'ProviderTranslator ← guardedWithoutBudget: breaker and fallback, every call sent to Google regardless of its quota',
  'a budget per instance':
    'ProviderTranslator ← guardedWithBudgetPerInstance: the same token bucket kept in each instance, not shared in Redis',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function plug(
  make: (
    config: AppConfig,
    connections: ProviderConnections,
    metrics: TranslationMetrics,
  ) => ProviderTranslator,
): ProviderPlug {
  return {
    provide: ProviderTranslator,
    inject: [APP_CONFIG, ProviderConnections, TranslationMetrics],
    useFactory: make,
  };
}

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [plug((config, connections) => new RetryingProviderTranslator(config.providers, connections))],
  remediated: [],
  'breaker without a quota budget': [
    plug((config, connections, metrics) => guardedWithoutBudget(config.providers, connections, metrics)),
  ],
  'a budget per instance': [
    plug((config, connections, metrics) =>
      guardedWithBudgetPerInstance(config.providers, connections, metrics),
    ),
  ],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders({
    google: { requestsPerSecond: REQUESTS_PER_SECOND, latency: { kind: 'fixed', ms: 20 } },
  });
  const env = {
    ...providers.env,
    GOOGLE_REQUESTS_PER_SECOND: String(REQUESTS_PER_SECOND),
    GOOGLE_CHARACTERS_PER_MINUTE: '0',
    TRANSLATION_QUOTA_MAX_WAIT_MS: '1000',
  };
  // Two instances of the service on one database and Redis prefix, as two pods share them.
  const instances: TestApp[] = [];
  try {
    instances.push(await startTestApp(ctx, env, { plugs: PLUGS[run] }));
    instances.push(await startTestApp(ctx, env, { plugs: PLUGS[run] }));
    const apis = instances.map((instance) => new ApiClient(instance.url));
    // One organisation per lane: S-5's micro-batching groups texts by organisation, so each translation stays
    // one Google call (with one organisation it folds the 120 translations into a few dozen calls under the quota).
    const organisers: string[] = [];
    for (let lane = 0; lane < CONCURRENCY; lane += 1) {
      organisers.push((await apis[0]!.signup(`c2_organiser_${lane}@example.com`)).accessToken);
    }
    const answers = await runConcurrently(REQUESTS, CONCURRENCY, (i, lane) =>
      translateCall(apis[i % 2]!, organisers[lane]!, [`Quota message ${i}`]),
    );
    const { google, deepl } = providers;
    const tooMany = google.tooManyRequestsSent;
    ctx.log(`${run}: Google sent ${tooMany} × 429 for ${google.calls.length} calls`);
    return {
      value: tooMany,
      details: {
        'translations answered 200': answers.filter((answer) => answer.status === 200).length,
        'by Google': answers.filter((answer) => answer.translations[0]?.source === 'google-v3').length,
        'by DeepL (fallback)': answers.filter((answer) => answer.translations[0]?.source === 'deepl-v2')
          .length,
        'calls Google received': google.calls.length,
        '429s Google sent': tooMany,
        'DeepL calls': deepl.calls.length,
      },
    };
  } finally {
    for (const instance of instances) await instance.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-a:C-2',
  title: 'No quota budget, rate limit or circuit breaker on the translation API',
  explanation:
    'The design retries Google three times with exponential backoff and falls back to DeepL "on failure", with no ' +
    'quota budget and no breaker: near the quota each call meets a 429 and comes back three more times, so the ' +
    'service multiplies the load on a provider that has told it to stop. The remedy paces every Google call through ' +
    'a token bucket in Redis shared by all instances and sized under the quota (burst + refill × window ≤ quota); ' +
    'a call that would wait longer than TRANSLATION_QUOTA_MAX_WAIT_MS goes to DeepL at once; a 429 is never retried ' +
    'on the engine that sent it; 5xx and timeouts count against an opossum breaker per engine that opens, fails fast ' +
    'and half-opens. Measured through HTTP on two instances of the real app against a Google emulator allowing ' +
    `${REQUESTS_PER_SECOND} requests/s: ${REQUESTS} translations of new texts, ${CONCURRENCY} in flight. The value is ` +
    "the 429s Google sent; every translation is answered in all variants (DeepL takes Google's overflow).",
  fix: [
    'src/translation/providers/quota-token-bucket.ts',
    'src/translation/providers/guarded-provider-translator.ts',
    'src/translation/providers/provider-call-error.ts',
  ],
  difficulty: 3,
  hints: [
    'Count the 429s the provider sends while the service is busy.',
    'A refused call retried at once is refused again; the service knows the quota before the provider tells it.',
    'Every instance spends the same quota: the budget must be one, wherever the instances run.',
    'The techniques: a token bucket in Redis (one Lua script, Redis TIME), fallback on 429, a circuit breaker for 5xx.',
  ],
  seam: 'ProviderTranslator (Nest provider under Translator, behind POST /translations) ← katas/c-2-unbounded-retries.flawed.ts RetryingProviderTranslator',
  flawsPutBack: FLAWS,
  metric: { name: '429 answers the quota-limited provider sent', unit: '429s', better: 'lower' },
  measure,
  flawed: (tooMany) => tooMany >= REQUESTS_PER_SECOND,
  remediated: (tooMany) => tooMany === 0,
  timeoutMs: 180_000,
});
