import { Logger } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { BREAKER_STATE, type TranslationMetrics } from '../metrics/translation-metrics.js';
import { FAILURE_POLICY, ProviderCallError, type FailurePolicy } from './provider-call-error.js';
import { ProviderTranslator, type ProviderTranslation } from './provider-translator.js';
import type { CallBudget } from './quota-token-bucket.js';
import type { EngineRequest, TranslationEngine } from './translation-engine.js';

export interface BreakerSettings {
  /**
   * Calls in the breaker's rolling window (10 s) before it may open; past that it opens once at least half of the
   * window's calls failed. From a cold start `volumeThreshold` failures in a row open it; after steady traffic the
   * window's successes must be matched by failures first (the provider-quota bench measured 3.4–3.8 s of a full
   * outage at 20 requests/s).
   */
  volumeThreshold: number;
  /** How long an open breaker fails fast before it lets one call through (half-open). */
  resetTimeoutMs: number;
}

/** An engine with what guards it: the quota budget its calls wait for and its breaker. */
export interface GuardedEngine {
  engine: TranslationEngine;
  budget: CallBudget;
}

/**
 * The primary engine first, the fallback when the primary cannot (polyglot-a:C-2, polyglot-b:I-2). Each engine
 * call waits for the engine's quota budget (a token bucket shared by all instances), runs through the engine's
 * opossum breaker (opens when half the calls of its window failed, fails fast while open, half-opens after
 * `resetTimeoutMs`), and a transient failure is retried once while the breaker stays closed. Which failures
 * retry, fall back or count against the breaker is the table in provider-call-error.ts.
 *
 * It reports each batch, each engine call with its outcome and duration, each fallback and the breakers' states
 * to TranslationMetrics (polyglot-b:M-4).
 */
export class GuardedProviderTranslator extends ProviderTranslator {
  private readonly breakers: Array<{
    guarded: GuardedEngine;
    breaker: CircuitBreaker<[EngineRequest], string[]>;
  }>;
  // Lines go through Nest's logger, the app's JSON logger: they carry the correlation IDs of the request, or of
  // every request a batched call serves (polyglot-b:I-3). They name counts, never the texts (polyglot-a:MI-2).
  private readonly logger = new Logger('ProviderTranslator');

  constructor(
    engines: [primary: GuardedEngine, fallback: GuardedEngine],
    settings: BreakerSettings,
    private readonly metrics: TranslationMetrics,
    private readonly policy: FailurePolicy = FAILURE_POLICY,
  ) {
    super();
    this.breakers = engines.map((guarded) => ({
      guarded,
      breaker: new CircuitBreaker((request: EngineRequest) => guarded.engine.translate(request), {
        // Each call has its own deadline (ProviderHttpClient): opossum's would reject but leave the socket busy.
        timeout: false,
        errorThresholdPercentage: 50,
        volumeThreshold: settings.volumeThreshold,
        resetTimeout: settings.resetTimeoutMs,
        // A 429, a spent quota or a refused request is the engine answering, not the engine failing.
        errorFilter: (error: unknown) => !policy.isEngineFailure(error),
        name: guarded.engine.name,
      }),
    }));
    const breakers = this.breakers;
    metrics.watchBreakers(() =>
      breakers.map(({ guarded, breaker }) => ({
        engine: guarded.engine.name,
        state: breaker.opened
          ? BREAKER_STATE.open
          : breaker.halfOpen
            ? BREAKER_STATE.halfOpen
            : BREAKER_STATE.closed,
      })),
    );
  }

  async translate(request: EngineRequest): Promise<ProviderTranslation> {
    this.metrics.batchSent(request.texts.length);
    const [primary, fallback] = this.breakers as [Guarded, Guarded];
    try {
      return { texts: await this.attempt(primary, request), engine: primary.guarded.engine.name };
    } catch (error) {
      if (!this.policy.shouldFallBack(error)) throw error;
      this.metrics.fellBack(reasonOf(error));
      this.logger.warn({
        msg: 'falling back to the second engine',
        from: primary.guarded.engine.name,
        to: fallback.guarded.engine.name,
        reason: reasonOf(error),
        segments: request.texts.length,
      });
      return { texts: await this.attempt(fallback, request), engine: fallback.guarded.engine.name };
    }
  }

  shutdown(): void {
    for (const { breaker } of this.breakers) breaker.shutdown();
  }

  /** One engine: its budget, its breaker, one retry of a transient failure while the breaker is closed. */
  private async attempt({ guarded, breaker }: Guarded, request: EngineRequest): Promise<string[]> {
    const engine = guarded.engine.name;
    for (let attempt = 1; ; attempt += 1) {
      // Open: fail fast, before the call spends any of the quota.
      if (breaker.opened) {
        this.metrics.providerCalled(engine, 'breaker-open', undefined);
        throw new ProviderCallError(engine, 'unavailable', 'breaker open: failing fast');
      }
      // The call's own time, not the quota wait before it: engine latency is what the histogram is for.
      let started: number | undefined;
      try {
        await guarded.budget.acquire(characters(request.texts));
        started = performance.now();
        const texts = await breaker.fire(request);
        this.metrics.providerCalled(engine, 'ok', secondsSince(started));
        return texts;
      } catch (error) {
        const failure = asProviderError(engine, error);
        if (isOpossumRejection(error)) this.metrics.providerCalled(engine, 'breaker-open', undefined);
        else
          this.metrics.providerCalled(
            engine,
            failure.failure,
            started === undefined ? undefined : secondsSince(started),
          );
        const retry = attempt < 2 && this.policy.isRetryable(failure) && breaker.closed;
        this.logger.warn({
          msg: retry ? 'engine call failed; retrying' : 'engine call failed',
          engine,
          failure: failure.failure,
          attempt,
          segments: request.texts.length,
        });
        if (!retry) throw failure;
      }
    }
  }
}

type Guarded = GuardedProviderTranslator['breakers'][number];

function secondsSince(start: number): number {
  return (performance.now() - start) / 1_000;
}

function characters(texts: readonly string[]): number {
  let count = 0;
  for (const text of texts) for (const _ of text) count += 1;
  return count;
}

/** opossum refuses a call itself while open, or while half-open with its one trial call in flight. */
function isOpossumRejection(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'EOPENBREAKER';
}

function reasonOf(error: unknown): string {
  return error instanceof ProviderCallError ? error.failure : 'unavailable';
}

/** opossum's own rejection (open breaker, shut down) as the failure the table knows. */
function asProviderError(engine: string, error: unknown): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  return new ProviderCallError(engine, 'unavailable', error instanceof Error ? error.message : String(error));
}
