import { Counter, Gauge, type Registry } from 'prom-client';
import type { ContentKind } from '../src/translation/cache/translation-cache.js';
import { PrometheusTranslationMetrics } from '../src/translation/metrics/prometheus-translation-metrics.js';
import {
  TranslationMetrics,
  type CallOutcome,
  type RequestOutcome,
} from '../src/translation/metrics/translation-metrics.js';

/*
 * polyglot-b:M-4 — the design states its latency target as an average ("average translation response time:
 * 500ms") and says nothing else about what is measured: no percentiles, no cache hit rate, no provider error
 * rate, no alerts. AverageLatencyOnlyMetrics takes TranslationMetrics' place under the real Translator: it
 * keeps a running mean of the response time and a request count, and nothing else. An average of 60 ms can
 * hide one answer in ten taking 600 ms, and a provider failing every third call shows nowhere.
 */
export class AverageLatencyOnlyMetrics extends TranslationMetrics {
  private readonly requests: Counter;
  private readonly average: Gauge;
  private count = 0;
  private totalSeconds = 0;

  constructor(registry: Registry) {
    super();
    this.requests = new Counter({
      name: 'translation_requests_total',
      help: 'Translation requests',
      registers: [registry],
    });
    this.average = new Gauge({
      name: 'translation_response_time_average_seconds',
      help: 'Average translation response time',
      registers: [registry],
    });
  }

  requestCompleted(_kind: ContentKind, _outcome: RequestOutcome, seconds: number): void {
    this.count += 1;
    this.totalSeconds += seconds;
    this.requests.inc();
    this.average.set(this.totalSeconds / this.count);
  }

  cacheLookedUp(): void {}

  batchSent(): void {}

  batchWaited(): void {}

  providerCalled(): void {}

  fellBack(): void {}

  watchBreakers(): void {}
}

/* Close cousins, put back into the remediated service's metrics. */

/** Lookups counted where the cache is missed (to see what goes to the engines), never where it answers. */
export class UncountedCacheHitsMetrics extends PrometheusTranslationMetrics {
  override cacheLookedUp(kind: ContentKind, _hits: number, misses: number): void {
    super.cacheLookedUp(kind, 0, misses);
  }
}

/** A call counted "ok" once the engine answered at all: a 503 or a 429 is an answer too. */
export class ErrorsAsSuccessesMetrics extends PrometheusTranslationMetrics {
  override providerCalled(engine: string, outcome: CallOutcome, seconds: number | undefined): void {
    super.providerCalled(engine, seconds === undefined ? outcome : 'ok', seconds);
  }
}

/**
 * One bucket, at the 500 ms target: the histogram says how many answers were within target, and histogram_quantile
 * can only interpolate between 0 and 500 ms or answer "500 ms" for anything slower.
 */
export function oneBucketMetrics(registry: Registry): TranslationMetrics {
  return new PrometheusTranslationMetrics(registry, [0.5]);
}
