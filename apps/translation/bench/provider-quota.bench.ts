import {
  benchSetting,
  defineBench,
  percentile,
  total,
  type BenchResult,
  type IsolatedContext,
  type LatencyDistribution,
} from '@remedy/testing';
import { ApiClient } from '../findings/support/api-client.js';
import type { ChatInstanceJob } from '../findings/support/chat-instance-child.js';
import { runConcurrently } from '../findings/support/run-concurrently.js';
import { spawnChatInstance, type ChatInstance } from '../findings/support/spawn-chat-instance.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';
import { watchBreakers, type BreakerWatch } from './support/breaker-watch.js';
import { startOfferedLoad, type OfferedTranslation } from './support/offered-translations.js';

type BenchContext = Omit<IsolatedContext, 'dispose'>;

const INSTANCES = 2;
/**
 * Organisations the load's requests come from, in turn. The micro-batcher (polyglot-b:S-5) folds one
 * organisation's concurrent texts into one call; spread over this many, most requests stay a call of their own,
 * so the offered rate is the rate of calls the service wants to make.
 */
const ORGANISATIONS = 40;
/** Both engines answer like the other benches' provider: median 150 ms, p99 400 ms. */
const ENGINE_LATENCY: LatencyDistribution = { kind: 'log-normal', medianMs: 150, p99Ms: 400 };
/** How often the breaker watch scrapes each instance's /metrics: the resolution of the breaker times. */
const BREAKER_POLL_MS = 50;
const PRIMARY = 'google-v3';
const FALLBACK = 'deepl-v2';

interface Settings {
  quotaSeconds: number;
  quotaPerSecond: number;
  offeredPerSecond: number;
  bursts: number;
  burstSeconds: number;
  steadySeconds: number;
  breakerResetMs: number;
  breakerOfferedPerSecond: number;
}

/** The engines and the two API instances of one variant, with an organiser's token per organisation. */
interface Service {
  providers: TranslationProviders;
  instances: ChatInstance[];
  apis: ApiClient[];
  tokens: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** p50, p99 and max of `values` (ms, rounded), or 'none' when there are none. */
function spread(values: number[], percentiles: number[] = [50, 99]): BenchResult | string {
  if (values.length === 0) return 'none';
  const result: BenchResult = {};
  for (const p of percentiles) result[`p${p}`] = Math.round(percentile(values, p));
  result['max'] = Math.round(Math.max(...values));
  return result;
}

/** The failed answers counted by HTTP status ('none' when every request was answered 200). */
function byStatus(answers: OfferedTranslation[]): BenchResult | string {
  const counts: BenchResult = {};
  for (const answer of answers)
    if (answer.status !== 200)
      counts[answer.status] = ((counts[answer.status] as number | undefined) ?? 0) + 1;
  return Object.keys(counts).length === 0 ? 'none' : counts;
}

async function scrapeAll(service: Service): Promise<string[]> {
  return Promise.all(service.instances.map(async (i) => (await fetch(`${i.url}/metrics`)).text()));
}

/** A counter's growth over the instances between two scrapes of each, by the label `by` (or in all). */
function growth(
  before: string[],
  after: string[],
  name: string,
  where: (labels: Record<string, string>) => boolean = () => true,
): number {
  const sum = (expositions: string[]) =>
    expositions.reduce((acc, exposition) => acc + total(exposition, name, where), 0);
  return sum(after) - sum(before);
}

async function withService<T>(
  ctx: BenchContext,
  variant: NonNullable<ChatInstanceJob['translator']>,
  settings: Settings,
  use: (service: Service) => Promise<T>,
): Promise<T> {
  const providers = await startTranslationProviders({
    google: { requestsPerSecond: settings.quotaPerSecond, latency: ENGINE_LATENCY },
    deepl: { latency: ENGINE_LATENCY, seed: 2 },
  });
  const instances: ChatInstance[] = [];
  try {
    const job: ChatInstanceJob = {
      databaseUrl: ctx.databaseUrl,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      overrides: {
        ...providers.env,
        // The account's quota as the service is told it: the same number the emulator enforces.
        GOOGLE_REQUESTS_PER_SECOND: String(settings.quotaPerSecond),
        GOOGLE_CHARACTERS_PER_MINUTE: '0',
        TRANSLATION_BREAKER_RESET_MS: String(settings.breakerResetMs),
      },
      registry: 'redis',
      translator: variant,
    };
    // Separate processes sharing only PostgreSQL and Redis: the quota budget is shared across instances or not at all.
    for (let index = 0; index < INSTANCES; index += 1) instances.push(await spawnChatInstance(job));
    const apis = instances.map((instance) => new ApiClient(instance.url));
    const tag = variant.replace(/\W+/g, '_');
    const tokens = await runConcurrently(
      ORGANISATIONS,
      8,
      async (index) => (await apis[0]!.signup(`quota_${tag}_${index}@example.com`)).accessToken,
    );
    return await use({ providers, instances, apis, tokens });
  } finally {
    for (const instance of instances) await instance.stop();
    await providers.stop();
  }
}

/** The offered load above the quota for `quotaSeconds`; what the provider received and the clients saw. */
async function quotaRun(service: Service, settings: Settings, label: string): Promise<BenchResult> {
  const { google, deepl } = service.providers;
  google.resetCounters();
  deepl.resetCounters();
  const before = await scrapeAll(service);
  // Google's calls per second, sampled every second over the time the sample really took (a late timer on a busy
  // machine would otherwise inflate it): how far above the quota the service pushes it at worst.
  const perSecond: number[] = [];
  let seen = 0;
  let sampledAt = performance.now();
  const sampler = setInterval(() => {
    const now = performance.now();
    perSecond.push(((google.calls.length - seen) * 1_000) / (now - sampledAt));
    seen = google.calls.length;
    sampledAt = now;
  }, 1_000);
  const started = performance.now();
  const load = startOfferedLoad({
    apis: service.apis,
    tokens: service.tokens,
    requestsPerSecond: settings.offeredPerSecond,
    label,
  });
  await sleep(settings.quotaSeconds * 1_000);
  const answers = await load.stop();
  clearInterval(sampler);
  // Retries keep reaching the provider after the last request was sent: the rate is over the whole time.
  const seconds = (performance.now() - started) / 1_000;
  const after = await scrapeAll(service);
  const ok = answers.filter((answer) => answer.status === 200);
  const admitted = google.calls.filter((call) => call.status !== 429).length;
  const fallbacks = growth(before, after, 'translation_fallbacks_total');
  const batches = growth(before, after, 'translation_provider_batches_total');
  return {
    'requests sent': answers.length,
    'translations completed (200)': ok.length,
    'translated by Google': ok.filter((answer) => answer.source === PRIMARY).length,
    'translated by DeepL (fallback)': ok.filter((answer) => answer.source === FALLBACK).length,
    'client-visible errors (not 200)': answers.length - ok.length,
    'client-visible errors by status (0: no answer)': byStatus(answers),
    '429s Google sent to the service': google.tooManyRequestsSent,
    'calls reaching Google': google.calls.length,
    'calls reaching Google per second (mean, load and drain)': round(google.calls.length / seconds, 1),
    'calls reaching Google per second in the busiest 1 s sample': round(Math.max(0, ...perSecond), 1),
    'calls Google admitted per second (mean)': round(admitted / seconds, 1),
    'calls reaching DeepL': deepl.calls.length,
    'latency ms (due → answer)': spread(answers.map((answer) => answer.latencyMs)),
    // The review's translator reports nothing: its /metrics counters stay at 0.
    'fallbacks on /metrics (translation_fallbacks_total)': fallbacks,
    'fallback rate on /metrics (fallbacks ÷ batches)':
      batches === 0 ? 'no batches' : round(fallbacks / batches, 3),
  };
}

interface Burst {
  start: number;
  end: number;
  googleCallsUntilClosed: number;
}

/** Waits until the breaker of each of `instances` has shown `closed` since `since`, or `timeoutMs` passes. */
async function closedOn(
  watch: BreakerWatch,
  instances: number[],
  since: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (
    performance.now() < deadline &&
    instances.some((instance) => watch.firstAfter(instance, 'closed', since) === undefined)
  )
    await sleep(BREAKER_POLL_MS);
}

/**
 * polyglot-b:I-2, polyglot-a:C-2's breaker: load below the quota while Google answers every call with 503 for
 * `burstSeconds`, `bursts` times, each after `steadySeconds` of steady traffic (the breaker judges the failure
 * share of its rolling 10 s window, so what came before a burst decides how soon it opens). Per burst and
 * instance: burst start → breaker open, the latency of requests answered by DeepL before and after it opened,
 * burst end → half-open probe → closed.
 */
async function breakerRun(service: Service, settings: Settings): Promise<BenchResult> {
  const { google, deepl } = service.providers;
  google.resetCounters();
  deepl.resetCounters();
  const before = await scrapeAll(service);
  const watch = watchBreakers(
    service.instances.map((instance) => instance.url),
    PRIMARY,
    BREAKER_POLL_MS,
  );
  const load = startOfferedLoad({
    apis: service.apis,
    tokens: service.tokens,
    requestsPerSecond: settings.breakerOfferedPerSecond,
    label: 'breaker',
  });
  const bursts: Burst[] = [];
  let answers: OfferedTranslation[];
  try {
    for (let index = 0; index < settings.bursts; index += 1) {
      await sleep(settings.steadySeconds * 1_000);
      const start = performance.now();
      google.down = 503;
      await sleep(settings.burstSeconds * 1_000);
      google.down = undefined;
      const end = performance.now();
      const googleCallsAtEnd = google.calls.length;
      const openedOn = Array.from({ length: INSTANCES }, (_, i) => i).filter(
        (instance) => watch.firstAfter(instance, 'open', start) !== undefined,
      );
      await closedOn(watch, openedOn, end, settings.breakerResetMs + 10_000);
      bursts.push({ start, end, googleCallsUntilClosed: google.calls.length - googleCallsAtEnd });
    }
  } finally {
    google.down = undefined;
    answers = await load.stop();
    await watch.stop();
  }
  const after = await scrapeAll(service);

  const at = (answer: OfferedTranslation) => load.startedAt + answer.sentAtMs;
  const toOpen: number[] = [];
  const toHalfOpen: number[] = [];
  const toClosed: number[] = [];
  const beforeOpen: number[] = [];
  const whileOpen: number[] = [];
  let failedProbes = 0;
  let opened = 0;
  let fallbackAnswers = 0;
  for (const burst of bursts) {
    for (let instance = 0; instance < INSTANCES; instance += 1) {
      const openAt = watch.firstAfter(instance, 'open', burst.start);
      const closedAt = watch.firstAfter(instance, 'closed', burst.end);
      const halfOpenAt = watch.firstAfter(instance, 'half-open', burst.end);
      if (openAt !== undefined && openAt <= burst.end + BREAKER_POLL_MS) {
        opened += 1;
        toOpen.push(openAt - burst.start);
      }
      if (halfOpenAt !== undefined && (closedAt === undefined || halfOpenAt <= closedAt))
        toHalfOpen.push(halfOpenAt - burst.end);
      if (closedAt !== undefined) toClosed.push(closedAt - burst.end);
      // A half-open probe during the burst meets the 503 and opens the breaker again.
      failedProbes += watch.transitions.filter(
        (t) => t.instance === instance && t.state === 'half-open' && t.at > burst.start && t.at < burst.end,
      ).length;
      const inBurst = answers.filter(
        (answer) => answer.instance === instance && at(answer) >= burst.start && at(answer) < burst.end,
      );
      for (const answer of inBurst) {
        if (answer.source !== FALLBACK) continue;
        fallbackAnswers += 1;
        (openAt !== undefined && at(answer) >= openAt ? whileOpen : beforeOpen).push(answer.latencyMs);
      }
    }
  }
  const fallbacks = growth(before, after, 'translation_fallbacks_total');
  const batches = growth(before, after, 'translation_provider_batches_total');
  const unavailable = growth(
    before,
    after,
    'translation_fallbacks_total',
    (l) => l['reason'] === 'unavailable',
  );
  const ok = answers.filter((answer) => answer.status === 200);
  return {
    bursts: bursts.length,
    'breakers opened (bursts × instances)': `${opened}/${bursts.length * INSTANCES}`,
    'breakers closed again after the burst': `${toClosed.length}/${bursts.length * INSTANCES}`,
    [`burst start → breaker open ms (seen on /metrics, ±${BREAKER_POLL_MS} ms)`]: spread(toOpen, [50]),
    'fallback latency ms, requests sent after the breaker opened (fail fast → DeepL)': spread(
      whileOpen,
      [50],
    ),
    'fallback latency ms, requests sent before it opened (503, one retry, → DeepL)': spread(beforeOpen, [50]),
    'requests answered by DeepL during the bursts': fallbackAnswers,
    'half-open probes that met the burst and reopened the breaker': failedProbes,
    'burst end → half-open ms (the probe goes out)': spread(toHalfOpen, [50]),
    'burst end → closed ms (probe answered by Google)': spread(toClosed, [50]),
    'Google calls from burst end until every breaker closed (p50)': Math.round(
      percentile(
        bursts.map((burst) => burst.googleCallsUntilClosed),
        50,
      ),
    ),
    'requests sent': answers.length,
    'client-visible errors (not 200)': answers.length - ok.length,
    'client-visible errors by status (0: no answer)': byStatus(answers),
    '5xx Google sent': google.serverErrorsSent,
    'fallbacks on /metrics (translation_fallbacks_total)': fallbacks,
    'of which reason="unavailable"': unavailable,
    'fallback rate on /metrics over the phase (fallbacks ÷ batches)':
      batches === 0 ? 'no batches' : round(fallbacks / batches, 3),
    'DeepL answers the clients saw over the phase': ok.filter((answer) => answer.source === FALLBACK).length,
  };
}

/**
 * polyglot-a:C-2 and polyglot-b:I-2 under load: a Google emulator allowing `TRANSLATION_BENCH_QUOTA_RPS` (50)
 * requests/s (429 + Retry-After past it) and a DeepL emulator as fallback, two API instances in separate processes.
 * 1. `TRANSLATION_BENCH_QUOTA_OFFERED_RPS` (100) POST /translations per second of new texts for
 *    `TRANSLATION_BENCH_QUOTA_SECONDS` (20), through the service and, in the same run, through the review's
 *    translator (three retries with backoff, no budget, no breaker) at the same seam as C-2's proof.
 * 2. The service alone at `TRANSLATION_BENCH_BREAKER_RPS` (20) requests/s while Google answers 503 for
 *    `TRANSLATION_BENCH_BREAKER_BURST_SECONDS` (8), `TRANSLATION_BENCH_BREAKER_BURSTS` (3) times, each after
 *    `TRANSLATION_BENCH_BREAKER_STEADY_SECONDS` (10) of steady traffic, with the breaker's reset at
 *    `TRANSLATION_BENCH_BREAKER_RESET_MS` (2,000; the service's default is 30 s).
 */
export default defineBench({
  name: 'translation: provider quota of 50 requests/s and 5xx bursts over two API instances (429s, calls/s, breaker open → fallback → recovery)',
  harness: translationHarness,
  async run(ctx) {
    const settings: Settings = {
      quotaSeconds: benchSetting('TRANSLATION_BENCH_QUOTA_SECONDS', 20),
      quotaPerSecond: Math.round(benchSetting('TRANSLATION_BENCH_QUOTA_RPS', 50)),
      offeredPerSecond: benchSetting('TRANSLATION_BENCH_QUOTA_OFFERED_RPS', 100),
      bursts: Math.round(benchSetting('TRANSLATION_BENCH_BREAKER_BURSTS', 3)),
      burstSeconds: benchSetting('TRANSLATION_BENCH_BREAKER_BURST_SECONDS', 8),
      steadySeconds: benchSetting('TRANSLATION_BENCH_BREAKER_STEADY_SECONDS', 10),
      breakerResetMs: Math.round(benchSetting('TRANSLATION_BENCH_BREAKER_RESET_MS', 2_000)),
      breakerOfferedPerSecond: benchSetting('TRANSLATION_BENCH_BREAKER_RPS', 20),
    };
    const { service, breaker } = await withService(ctx, 'guarded', settings, async (running) => {
      const quota = await quotaRun(running, settings, 'service');
      ctx.log(`service at ${settings.offeredPerSecond}/s: ${JSON.stringify(quota)}`);
      const bursts = await breakerRun(running, settings);
      ctx.log(`breaker: ${JSON.stringify(bursts)}`);
      return { service: quota, breaker: bursts };
    });
    const retries = await withService(ctx, 'unbounded retries', settings, (running) =>
      quotaRun(running, settings, 'retries'),
    );
    ctx.log(`unbounded retries at ${settings.offeredPerSecond}/s: ${JSON.stringify(retries)}`);

    const goals: Record<string, BenchResult> = {
      [`429s the service received from a provider allowing ${settings.quotaPerSecond} requests/s = 0`]: {
        value: service['429s Google sent to the service'] as number,
        met: service['429s Google sent to the service'] === 0,
      },
      [`client-visible errors at ${settings.offeredPerSecond} requests/s offered = 0 (DeepL takes the overflow)`]:
        {
          value: service['client-visible errors (not 200)'] as number,
          met: service['client-visible errors (not 200)'] === 0,
        },
      'the breaker opens in every burst on every instance and closes after it': {
        value: `${breaker['breakers opened (bursts × instances)'] as string}, ${breaker['breakers closed again after the burst'] as string}`,
        met:
          breaker['breakers opened (bursts × instances)'] ===
            `${settings.bursts * INSTANCES}/${settings.bursts * INSTANCES}` &&
          breaker['breakers closed again after the burst'] ===
            `${settings.bursts * INSTANCES}/${settings.bursts * INSTANCES}`,
      },
      'client-visible errors during the 5xx bursts = 0 (every request answered by the fallback)': {
        value: breaker['client-visible errors (not 200)'] as number,
        met: breaker['client-visible errors (not 200)'] === 0,
      },
    };
    const met = Object.values(goals).filter((goal) => goal['met'] === true).length;
    return {
      'provider quota (requests/s)': settings.quotaPerSecond,
      'offered requests/s': settings.offeredPerSecond,
      seconds: settings.quotaSeconds,
      'goals met': `${met}/${Object.keys(goals).length}`,
      goals,
      'service (shared token bucket, breaker, fallback on 429)': service,
      'review’s design (3 retries with backoff, then DeepL; no budget, no breaker)': retries,
      [`5xx bursts at ${settings.breakerOfferedPerSecond} requests/s (breaker reset ${settings.breakerResetMs} ms)`]:
        breaker,
    };
  },
});
