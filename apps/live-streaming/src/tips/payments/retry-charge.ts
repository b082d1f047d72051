import { isRetryableFailure } from './charges-api.js';

export interface RetrySettings {
  attempts: number;
  retryDelayMs: number;
}

/**
 * Runs `call` up to `attempts` times while it fails with a timeout or an unavailable provider. Safe only
 * because every attempt carries the same idempotency key; an open breaker, a decline or a refusal ends it.
 */
export async function retryCharge<T>(
  call: () => Promise<T>,
  { attempts, retryDelayMs }: RetrySettings,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isRetryableFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
    }
  }
}
