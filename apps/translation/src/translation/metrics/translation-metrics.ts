import type { ContentKind } from '../cache/translation-cache.js';
import type { ProviderFailure } from '../providers/provider-call-error.js';

/** How a translation request ended: answered, or failed with an error the caller saw. */
export type RequestOutcome = 'ok' | 'failed';

/** How one engine call ended: answered, a failure of the table in provider-call-error.ts, or refused by its breaker. */
export type CallOutcome = 'ok' | ProviderFailure | 'breaker-open';

/** A circuit breaker's state as a number, so a dashboard can plot it and an alert compare it. */
export const BREAKER_STATE = { closed: 0, halfOpen: 1, open: 2 } as const;
export type BreakerState = (typeof BREAKER_STATE)[keyof typeof BREAKER_STATE];

/**
 * What the translation path reports about itself (polyglot-b:M-4): the one seam every translation metric goes
 * through, so the service's Prometheus metrics can be swapped for the review's design in a proof. Labels are
 * content kind, engine, outcome and failure class only, never texts, users, sessions or organisations.
 */
export abstract class TranslationMetrics {
  /** A translation request (one POST /translations batch) took `seconds`, from its first cache lookup to its answer. */
  abstract requestCompleted(kind: ContentKind, outcome: RequestOutcome, seconds: number): void;

  /** A cache lookup of `hits + misses` texts. */
  abstract cacheLookedUp(kind: ContentKind, hits: number, misses: number): void;

  /** A batch of `texts` went to the engines (before the primary was tried). */
  abstract batchSent(texts: number): void;

  /**
   * One request's texts waited `seconds` in the batcher before a call carried them: the batch window plus any
   * wait for a call of their pair to return (polyglot-b:S-5, ADR 0076).
   */
  abstract batchWaited(seconds: number): void;

  /** One engine call (one attempt); `seconds` is undefined when the breaker refused it without calling out. */
  abstract providerCalled(engine: string, outcome: CallOutcome, seconds: number | undefined): void;

  /** A batch went to the fallback engine because the primary failed with `reason`. */
  abstract fellBack(reason: string): void;

  /** Reads the engines' breaker states at each scrape. */
  abstract watchBreakers(states: () => Iterable<{ engine: string; state: BreakerState }>): void;
}
