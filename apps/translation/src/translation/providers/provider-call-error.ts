/**
 * Why a provider call gave no translation. What each failure does is written down once, here, because the
 * review asked for it (polyglot-b:I-2: "which errors retry, which fall back"):
 *
 * | failure           | from                                   | retry same engine | fall back | breaker failure |
 * | ----------------- | -------------------------------------- | ----------------- | --------- | --------------- |
 * | `unavailable`     | 5xx, connection refused or reset       | once              | yes       | yes             |
 * | `timeout`         | no answer within the call's timeout    | once              | yes       | yes             |
 * | `rate-limited`    | 429 (Retry-After)                      | no: it adds load  | yes       | no              |
 * | `quota-exhausted` | DeepL 456, billing limit reached       | no                | yes       | no              |
 * | `unauthorized`    | 401 / 403: the engine's key is refused | no                | yes       | yes             |
 * | `rejected`        | other 4xx: our request is wrong        | no                | no        | no              |
 *
 * A 429 or a spent quota says the engine is healthy but will not take more from us now: the other engine can,
 * and counting it as a breaker failure would take the engine away from the calls the quota still allows. A
 * refused request would be refused by the other engine too, so it fails at once with its reason.
 */
export type ProviderFailure =
  'unavailable' | 'timeout' | 'rate-limited' | 'quota-exhausted' | 'unauthorized' | 'rejected';

export class ProviderCallError extends Error {
  constructor(
    readonly engine: string,
    readonly failure: ProviderFailure,
    message: string,
    /** The provider's Retry-After, when it gave one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${engine}: ${message}`);
    this.name = 'ProviderCallError';
  }
}

/** A transient failure worth one more try on the same engine. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof ProviderCallError && (error.failure === 'unavailable' || error.failure === 'timeout')
  );
}

/** Whether the other engine should get the call. */
export function shouldFallBack(error: unknown): boolean {
  return !(error instanceof ProviderCallError) || error.failure !== 'rejected';
}

/** Whether the failure says the engine is unwell (so it counts toward opening its breaker). */
export function isEngineFailure(error: unknown): boolean {
  return (
    !(error instanceof ProviderCallError) ||
    error.failure === 'unavailable' ||
    error.failure === 'timeout' ||
    error.failure === 'unauthorized'
  );
}

/** The table above as one object, so the translator takes its decisions from one place. */
export interface FailurePolicy {
  isRetryable(error: unknown): boolean;
  shouldFallBack(error: unknown): boolean;
  isEngineFailure(error: unknown): boolean;
}

export const FAILURE_POLICY: FailurePolicy = { isRetryable, shouldFallBack, isEngineFailure };

/** The failure an HTTP status means, in either provider's dialect. */
export function failureOfStatus(status: number): ProviderFailure {
  if (status === 429) return 'rate-limited';
  if (status === 456) return 'quota-exhausted';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}
