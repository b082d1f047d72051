import type { ProvidersConfig } from '../src/config.js';
import { buildEngines } from '../src/translation/providers/build-engines.js';
import { GuardedProviderTranslator } from '../src/translation/providers/guarded-provider-translator.js';
import { ProviderCallError } from '../src/translation/providers/provider-call-error.js';
import type { TranslationMetrics } from '../src/translation/metrics/translation-metrics.js';
import type { ProviderConnections } from '../src/translation/providers/provider-connections.js';
import {
  ProviderTranslator,
  type ProviderTranslation,
} from '../src/translation/providers/provider-translator.js';
import { UNLIMITED_BUDGET, type CallBudget } from '../src/translation/providers/quota-token-bucket.js';
import type { EngineRequest, TranslationEngine } from '../src/translation/providers/translation-engine.js';

/*
 * polyglot-a:C-2 — the design calls Google with "3 retries with exponential backoff" and falls back to DeepL
 * "on API failure", with no quota budget and no circuit breaker. Near the quota every call is refused with 429,
 * and every refusal comes back three more times: the service spends the provider's patience on calls it has
 * already been told to stop making. RetryingProviderTranslator takes ProviderTranslator's place under the real
 * Translator and route, with the real engines and connection pools.
 */
export class RetryingProviderTranslator extends ProviderTranslator {
  private readonly primary: TranslationEngine;
  private readonly fallback: TranslationEngine;

  constructor(config: ProvidersConfig, connections: ProviderConnections) {
    super();
    ({ primary: this.primary, fallback: this.fallback } = buildEngines(config, connections));
  }

  async translate(request: EngineRequest): Promise<ProviderTranslation> {
    for (let attempt = 0; attempt <= 3; attempt += 1) {
      try {
        return { texts: await this.primary.translate(request), engine: this.primary.name };
      } catch {
        if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
    return { texts: await this.fallback.translate(request), engine: this.fallback.name };
  }
}

/* Close cousins, put back into the remediated service. */

/** Breaker and fallback, but no quota budget: every call goes to Google, and past its quota it answers 429. */
export function guardedWithoutBudget(
  config: ProvidersConfig,
  connections: ProviderConnections,
  metrics: TranslationMetrics,
): ProviderTranslator {
  const { primary, fallback } = buildEngines(config, connections);
  return new GuardedProviderTranslator(
    [
      { engine: primary, budget: UNLIMITED_BUDGET },
      { engine: fallback, budget: UNLIMITED_BUDGET },
    ],
    { volumeThreshold: config.breakerVolume, resetTimeoutMs: config.breakerResetMs },
    metrics,
  );
}

/**
 * Breaker, fallback and a token bucket, but each instance keeps its own in memory: every instance believes the
 * whole quota is its own, so two instances send twice the quota.
 */
export function guardedWithBudgetPerInstance(
  config: ProvidersConfig,
  connections: ProviderConnections,
  metrics: TranslationMetrics,
): ProviderTranslator {
  const { primary, fallback } = buildEngines(config, connections);
  return new GuardedProviderTranslator(
    [
      {
        engine: primary,
        budget: new InstanceRequestBucket(
          primary.name,
          config.google.requestsPerSecond,
          config.quotaMaxWaitMs,
        ),
      },
      { engine: fallback, budget: UNLIMITED_BUDGET },
    ],
    { volumeThreshold: config.breakerVolume, resetTimeoutMs: config.breakerResetMs },
    metrics,
  );
}

/** The service's bucket arithmetic (burst 10 %, margin 5 %) for requests per second, in this process only. */
class InstanceRequestBucket implements CallBudget {
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private tokens: number;
  private at = Date.now();

  constructor(
    private readonly engine: string,
    requestsPerSecond: number,
    private readonly maxWaitMs: number,
  ) {
    const budget = Math.max(1, Math.floor(requestsPerSecond * 0.95));
    this.capacity = Math.max(1, Math.floor(budget * 0.1));
    this.refillPerMs = Math.max(budget - this.capacity, 1) / 1_000;
    this.tokens = this.capacity;
  }

  async acquire(): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.refillPerMs);
      this.at = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil((1 - this.tokens) / this.refillPerMs);
      if (now + waitMs > deadline)
        throw new ProviderCallError(this.engine, 'rate-limited', 'instance budget spent');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
