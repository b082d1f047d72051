export interface RetryBackoffOptions {
  /** Delay after the first failure. */
  baseDelayMs: number;
  /** Ceiling: a message that keeps failing is retried this often, and shows up in the lag metric. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoffOptions = { baseDelayMs: 1_000, maxDelayMs: 300_000 };

/** Exponential: base × 2^(failures so far), capped. `attempts` is the count before this failure. */
export function retryDelayMs(attempts: number, options: RetryBackoffOptions): number {
  const exponent = Math.min(Math.max(attempts, 0), 30);
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
}
