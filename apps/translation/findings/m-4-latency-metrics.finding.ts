import { METRICS_REGISTRY } from '@remedy/observability';
import {
  bucketBounds,
  defineFinding,
  histogramQuantile,
  percentile,
  total,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import type { Registry } from 'prom-client';
import {
  AverageLatencyOnlyMetrics,
  ErrorsAsSuccessesMetrics,
  oneBucketMetrics,
  UncountedCacheHitsMetrics,
} from '../katas/m-4-average-latency-only.flawed.js';
import { TranslationMetrics } from '../src/translation/metrics/translation-metrics.js';
import { ApiClient } from './support/api-client.js';
import { startTestApp } from './support/start-test-app.js';
import { translateCall, type TranslateAnswer } from './support/translate-call.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** The known mix: texts new to the cache (one in six meets two Google 503s), repeats of them, and held ones. */
const MISSES = 60;
const FAILING_EVERY = 6;
const HITS = 30;
/** One in ten requests slow, so p95 and p99 fall among them and p50 among the new texts. */
const SLOW_LANGUAGES = ['fr', 'es', 'it', 'ja', 'ko', 'nl', 'pl', 'sv', 'pt', 'cs'];
/** How long Google holds the slow requests' calls: far past p50, and past the 800 ms p95 warning. */
const HOLD_MS = 1_000;
/**
 * How close a quantile from the buckets must come to what the client measured: in the same finite bucket, or
 * within 25 % and 50 ms at least (the client's timing adds the HTTP edge and the auth guard the service's
 * histogram starts after, which may put the two either side of a boundary).
 */
const QUANTILE_TOLERANCE = { relative: 0.25, absoluteSeconds: 0.05 };

const FLAWS = {
  'cache hits not counted': 'lookups counted where the cache misses only, so the hit rate reads 0',
  'errors counted as successes': 'every engine call that got an answer counted "ok", a 503 included',
  'one bucket': 'the request histogram has one bucket, at the 500 ms target: p50/95/99 cannot be resolved',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function metricsPlug(make: (registry: Registry) => TranslationMetrics): ProviderPlug {
  return { provide: TranslationMetrics, inject: [METRICS_REGISTRY], useFactory: make };
}

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [metricsPlug((registry) => new AverageLatencyOnlyMetrics(registry))],
  remediated: [],
  'cache hits not counted': [metricsPlug((registry) => new UncountedCacheHitsMetrics(registry))],
  'errors counted as successes': [metricsPlug((registry) => new ErrorsAsSuccessesMetrics(registry))],
  'one bucket': [metricsPlug(oneBucketMetrics)],
};

interface Timed {
  answer: TranslateAnswer;
  seconds: number;
}

async function timed(call: () => Promise<TranslateAnswer>): Promise<Timed> {
  const started = performance.now();
  const answer = await call();
  return { answer, seconds: (performance.now() - started) / 1_000 };
}

function close(reported: number, observed: number, bounds: readonly number[]): boolean {
  if (!Number.isFinite(reported)) return false;
  const bucketOf = (value: number) => bounds.findIndex((bound) => value <= bound);
  const bucket = bucketOf(observed);
  if (bucket !== -1 && bucket === bucketOf(reported)) return true;
  const allowed = Math.max(QUANTILE_TOLERANCE.relative * observed, QUANTILE_TOLERANCE.absoluteSeconds);
  return Math.abs(reported - observed) <= allowed;
}

function equalRates(reported: number, observed: number): boolean {
  return Number.isFinite(reported) && Math.abs(reported - observed) < 1e-9;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  // A breaker volume above the measurement's failures keeps the breaker closed: every 503 is retried once.
  const testApp = await startTestApp(
    ctx,
    // A call timeout far past the hold keeps the held calls clear of it.
    { ...providers.env, TRANSLATION_BREAKER_VOLUME: '1000', TRANSLATION_TIMEOUT_MS: '30000' },
    { plugs: PLUGS[run] },
  );
  const { google, deepl } = providers;
  let exposition: string;
  const results: Timed[] = [];
  try {
    const api = new ApiClient(testApp.url);
    const organiser = (await api.signup('m4_metrics_organiser@example.com')).accessToken;
    const translate = (text: string, targetLanguage = 'de') =>
      translateCall(api, organiser, [text], { kind: 'caption', targetLanguage });

    // New texts, one at a time; every sixth meets a 503 on the call and on its retry, then goes to DeepL.
    for (let i = 0; i < MISSES; i += 1) {
      if (i % FAILING_EVERY === 0) google.failNext(503, 2);
      results.push(await timed(() => translate(`Caption line ${i} of the metrics measurement`)));
    }
    // The same texts again: answered by the cache.
    for (let i = 0; i < HITS; i += 1) {
      results.push(await timed(() => translate(`Caption line ${i} of the metrics measurement`)));
    }
    // Slow ones, one target language each (so one engine call each): Google holds the calls, and the hold lasts
    // HOLD_MS from the moment it has all of them, so each request spends longer than that in the service.
    google.hold();
    const slow = SLOW_LANGUAGES.map((language, i) =>
      timed(() => translate(`Slow caption line ${i} of the metrics measurement`, language)),
    );
    while (google.held < SLOW_LANGUAGES.length) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    google.release();
    results.push(...(await Promise.all(slow)));
    exposition = await (await fetch(`${testApp.url}/metrics`)).text();
  } finally {
    await testApp.close();
    await providers.stop();
  }

  const failedRequests = results.filter((result) => result.answer.status !== 200).length;
  if (failedRequests > 0) throw new Error(`${failedRequests} translations failed; the mix expects none`);
  const seconds = results.map((result) => result.seconds);
  const observedHits = results.filter((result) => result.answer.translations[0]?.source === 'cache').length;
  const engineCalls = [...google.calls, ...deepl.calls];
  const failedCalls = engineCalls.filter((call) => call.status !== 200).length;
  const observed = {
    requests: results.length,
    p50: percentile(seconds, 50),
    p95: percentile(seconds, 95),
    p99: percentile(seconds, 99),
    hitRate: observedHits / results.length,
    errorRate: failedCalls / engineCalls.length,
    engineCalls: engineCalls.length,
    fallbacks: deepl.calls.filter((call) => call.status === 200).length,
    textsToEngines: results.length - observedHits,
  };

  const lookups = total(exposition, 'translation_cache_lookups_total');
  const calls = total(exposition, 'translation_provider_calls_total');
  const reported = {
    requests: total(exposition, 'translation_request_duration_seconds_count'),
    p50: histogramQuantile(exposition, 'translation_request_duration_seconds', 0.5),
    p95: histogramQuantile(exposition, 'translation_request_duration_seconds', 0.95),
    p99: histogramQuantile(exposition, 'translation_request_duration_seconds', 0.99),
    hitRate:
      total(exposition, 'translation_cache_lookups_total', (labels) => labels['result'] === 'hit') / lookups,
    errorRate:
      total(exposition, 'translation_provider_calls_total', (labels) => labels['outcome'] !== 'ok') / calls,
    engineCalls: total(exposition, 'translation_provider_call_duration_seconds_count'),
    fallbacks: total(exposition, 'translation_fallbacks_total'),
    textsToEngines: total(exposition, 'translation_provider_batch_size_texts_sum'),
  };

  const bounds = bucketBounds(exposition, 'translation_request_duration_seconds');
  const checks: Record<string, boolean> = {
    'requests in the latency histogram': reported.requests === observed.requests,
    p50: close(reported.p50, observed.p50, bounds),
    p95: close(reported.p95, observed.p95, bounds),
    p99: close(reported.p99, observed.p99, bounds),
    'cache hit rate': equalRates(reported.hitRate, observed.hitRate),
    'provider error rate': equalRates(reported.errorRate, observed.errorRate),
    'engine calls in the call histogram': reported.engineCalls === observed.engineCalls,
    fallbacks: reported.fallbacks === observed.fallbacks,
    'texts in the batch-size histogram': reported.textsToEngines === observed.textsToEngines,
  };
  const wrong = Object.entries(checks)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 1_000)} ms` : 'none');
  const rate = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : 'none');
  ctx.log(
    `${run}: observed p50/p95/p99 ${ms(observed.p50)}/${ms(observed.p95)}/${ms(observed.p99)}, ` +
      `reported ${ms(reported.p50)}/${ms(reported.p95)}/${ms(reported.p99)}; hit rate ${rate(observed.hitRate)} ` +
      `vs ${rate(reported.hitRate)}, error rate ${rate(observed.errorRate)} vs ${rate(reported.errorRate)}`,
  );
  return {
    value: wrong.length,
    details: {
      'requests (observed / reported)': `${observed.requests} / ${reported.requests}`,
      'p50 (observed / from buckets)': `${ms(observed.p50)} / ${ms(reported.p50)}`,
      'p95 (observed / from buckets)': `${ms(observed.p95)} / ${ms(reported.p95)}`,
      'p99 (observed / from buckets)': `${ms(observed.p99)} / ${ms(reported.p99)}`,
      'cache hit rate (observed / reported)': `${rate(observed.hitRate)} / ${rate(reported.hitRate)}`,
      'provider error rate (observed / reported)': `${rate(observed.errorRate)} / ${rate(reported.errorRate)}`,
      'engine calls (emulators / call histogram)': `${observed.engineCalls} / ${reported.engineCalls}`,
      'fallbacks (DeepL answers / reported)': `${observed.fallbacks} / ${reported.fallbacks}`,
      'texts sent to engines (observed / batch histogram)': `${observed.textsToEngines} / ${reported.textsToEngines}`,
      'signals misreported or missing': wrong.join(', ') || 'none',
    },
  };
}

export default defineFinding({
  id: 'polyglot-b:M-4',
  title: 'No latency metrics or alerts: an average response time is the only number the design names',
  explanation:
    'The design states its target as an average response time and specifies no monitoring: no percentiles, no ' +
    'cache hit rate, no provider error rate, no alerts, so a provider failing every sixth call or one caption in ' +
    'ten taking half a second shows nowhere. The service reports every translation through TranslationMetrics: ' +
    'a request-duration histogram per content kind with bucket boundaries at the review’s targets (150 ms, 500 ms, ' +
    '800 ms, 1.2 s), engine-call counts and durations by engine and outcome (429, 5xx, timeout… so the error ' +
    'rate by class), cache hits and misses, fallbacks, batch sizes and breaker states; ' +
    'infra/prometheus/rules/translation.yml alerts on p95/p99, error rate, hit rate and open breakers, and ' +
    'infra/grafana/dashboards/translation.json plots them. The proof drives a known mix through POST ' +
    `/translations on the real app (${MISSES} new texts, one in ${FAILING_EVERY} meeting two Google 503s, ${HITS} ` +
    `repeats, ${SLOW_LANGUAGES.length} held for ${HOLD_MS} ms), scrapes /metrics and counts the signals the service ` +
    'misreports: request count, p50/p95/p99 from the buckets against the client’s own timings (in the same bucket, ' +
    'or within 25 % and 50 ms at least), ' +
    'hit rate and error rate against what the client and the emulators saw, engine calls, fallbacks and batched texts.',
  fix: [
    'src/translation/metrics/translation-metrics.ts',
    'src/translation/metrics/prometheus-translation-metrics.ts',
    'src/translation/translator.service.ts',
    'src/translation/providers/guarded-provider-translator.ts',
    '../../infra/prometheus/rules/translation.yml',
    '../../infra/grafana/dashboards/translation.json',
  ],
  difficulty: 1,
  hints: [
    'An average of 60 ms and one answer in ten taking 600 ms are the same average.',
    'A percentile needs a distribution: count observations into buckets fine enough where the targets are.',
    'Rates are ratios of counters: count hits and misses, ok calls and failed calls, each by a small label set.',
    'The technique: Prometheus histograms (histogram_quantile) and labelled counters, with alert rules on them.',
  ],
  seam: 'TranslationMetrics (Nest provider under Translator, the engine translator and the cache) ← katas/m-4-average-latency-only.flawed.ts AverageLatencyOnlyMetrics; the cousins are the service’s own metrics with one count broken',
  flawsPutBack: FLAWS,
  metric: {
    name: 'translation signals /metrics misreports or lacks (of 9)',
    unit: 'signals',
    better: 'lower',
  },
  measure,
  flawed: (signals) => signals >= 5,
  remediated: (signals) => signals === 0,
  timeoutMs: 120_000,
});
