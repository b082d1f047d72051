import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ContentKind } from '../cache/translation-cache.js';
import {
  TranslationMetrics,
  type BreakerState,
  type CallOutcome,
  type RequestOutcome,
} from './translation-metrics.js';

/**
 * Latency buckets, in seconds, with a boundary at every number the review's targets name: the translation
 * stage's 150 ms share of the audio pipeline, the 500 ms end-to-end target, and the p95 alert thresholds of
 * 800 ms (warning) and 1.2 s (critical). Between them the buckets are at most 100–200 ms wide, so
 * histogram_quantile resolves p50/p95/p99 to within a bucket where the alerts compare them; 2 s is the
 * provider call timeout.
 */
export const TRANSLATION_LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.2, 1.5, 2, 3, 5,
];

/** Texts per engine batch: one chat line, a caption burst, a document page; Google takes 1,024 segments per call. */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_024];

/**
 * Time in the batcher: the window (15 ms by default) alone, or the window plus a wait for a call of the same pair
 * to return (up to a provider latency), so the buckets are fine below 50 ms and follow the latency ones above.
 */
const BATCH_WAIT_BUCKETS = [0.005, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 1, 2];

/**
 * The service's TranslationMetrics, on the registry /metrics serves:
 *
 * - translation_request_duration_seconds{kind,outcome}: p50/95/99 per content kind (histogram)
 * - translation_cache_lookups_total{kind,result}: hit rate = hit / (hit + miss)
 * - translation_provider_batches_total and translation_provider_batch_size_texts: batches and their sizes
 * - translation_batch_wait_seconds: how long a request's texts waited in the batcher for their call
 * - translation_provider_calls_total{engine,outcome}: error rate = outcome != "ok" over all, by class
 *   (rate-limited = 429, unavailable = 5xx or connection failure, timeout, …, breaker-open)
 * - translation_provider_call_duration_seconds{engine,outcome}: engine latency of calls that went out
 * - translation_fallbacks_total{reason}: fallback rate = fallbacks / batches
 * - translation_breaker_state{engine}: 0 closed, 1 half-open, 2 open
 */
export class PrometheusTranslationMetrics extends TranslationMetrics {
  private readonly requests: Histogram<'kind' | 'outcome'>;
  private readonly lookups: Counter<'kind' | 'result'>;
  private readonly batches: Counter;
  private readonly batchSizes: Histogram;
  private readonly batchWaits: Histogram;
  private readonly calls: Counter<'engine' | 'outcome'>;
  private readonly callDurations: Histogram<'engine' | 'outcome'>;
  private readonly fallbacks: Counter<'reason'>;
  private breakerStates: () => Iterable<{ engine: string; state: BreakerState }> = () => [];

  constructor(registry: Registry, latencyBuckets: readonly number[] = TRANSLATION_LATENCY_BUCKETS) {
    super();
    this.requests = new Histogram({
      name: 'translation_request_duration_seconds',
      help: 'Translation requests from first cache lookup to answer, by content kind and outcome (ok, failed)',
      labelNames: ['kind', 'outcome'],
      buckets: [...latencyBuckets],
      registers: [registry],
    });
    this.lookups = new Counter({
      name: 'translation_cache_lookups_total',
      help: 'Translation cache lookups per text, by content kind and result (hit, miss)',
      labelNames: ['kind', 'result'],
      registers: [registry],
    });
    this.batches = new Counter({
      name: 'translation_provider_batches_total',
      help: 'Batches sent to the translation engines',
      registers: [registry],
    });
    this.batchSizes = new Histogram({
      name: 'translation_provider_batch_size_texts',
      help: 'Texts per batch sent to the translation engines',
      buckets: BATCH_SIZE_BUCKETS,
      registers: [registry],
    });
    this.batchWaits = new Histogram({
      name: 'translation_batch_wait_seconds',
      help: "Time a request's texts waited in the micro-batcher before a provider call carried them",
      buckets: [...BATCH_WAIT_BUCKETS],
      registers: [registry],
    });
    this.calls = new Counter({
      name: 'translation_provider_calls_total',
      help: 'Engine calls by engine and outcome (ok, a ProviderFailure, or breaker-open)',
      labelNames: ['engine', 'outcome'],
      registers: [registry],
    });
    this.callDurations = new Histogram({
      name: 'translation_provider_call_duration_seconds',
      help: 'Engine calls that went out, by engine and outcome',
      labelNames: ['engine', 'outcome'],
      buckets: [...latencyBuckets],
      registers: [registry],
    });
    this.fallbacks = new Counter({
      name: 'translation_fallbacks_total',
      help: 'Batches handed to the fallback engine, by the primary failure that sent them there',
      labelNames: ['reason'],
      registers: [registry],
    });
    const read = () => this.breakerStates();
    new Gauge({
      name: 'translation_breaker_state',
      help: 'Circuit breaker per translation engine: 0 closed, 1 half-open, 2 open',
      labelNames: ['engine'],
      registers: [registry],
      // A state, not an amount: across the workers of a cluster the most open one.
      aggregator: 'max',
      collect() {
        for (const { engine, state } of read()) this.set({ engine }, state);
      },
    });
  }

  requestCompleted(kind: ContentKind, outcome: RequestOutcome, seconds: number): void {
    this.requests.observe({ kind, outcome }, seconds);
  }

  cacheLookedUp(kind: ContentKind, hits: number, misses: number): void {
    if (hits > 0) this.lookups.inc({ kind, result: 'hit' }, hits);
    if (misses > 0) this.lookups.inc({ kind, result: 'miss' }, misses);
  }

  batchSent(texts: number): void {
    this.batches.inc();
    this.batchSizes.observe(texts);
  }

  batchWaited(seconds: number): void {
    this.batchWaits.observe(seconds);
  }

  providerCalled(engine: string, outcome: CallOutcome, seconds: number | undefined): void {
    this.calls.inc({ engine, outcome });
    if (seconds !== undefined) this.callDurations.observe({ engine, outcome }, seconds);
  }

  fellBack(reason: string): void {
    this.fallbacks.inc({ reason });
  }

  watchBreakers(states: () => Iterable<{ engine: string; state: BreakerState }>): void {
    this.breakerStates = states;
  }
}
