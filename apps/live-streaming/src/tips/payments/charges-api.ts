import type { PaymentsConfig } from '../../config.js';
import type { Charge, ChargeRequest } from './payment-provider.js';

/** Why a provider call gave no charge: only `timeout` and `unavailable` are worth another try. */
export type ProviderFailure = 'timeout' | 'unavailable' | 'declined' | 'rejected';

export class ProviderCallError extends Error {
  constructor(
    readonly failure: ProviderFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

export function isRetryableFailure(error: unknown): boolean {
  return (
    error instanceof ProviderCallError && (error.failure === 'timeout' || error.failure === 'unavailable')
  );
}

export interface ChargeCallOptions {
  /** Abort the call (and close its connection) after this long; none waits as long as the provider does. */
  timeoutMs?: number;
  /** Sent as the `Idempotency-Key` header: the provider charges at most once per key. */
  idempotencyKey?: string;
}

/** One HTTP call to the provider's Stripe-like Charges API (`POST /v1/charges`, form-encoded). */
export class ChargesApi {
  constructor(private readonly config: PaymentsConfig) {}

  async create(request: ChargeRequest, options: ChargeCallOptions): Promise<Charge> {
    if (this.config.apiUrl === undefined) {
      throw new ProviderCallError('unavailable', 'no payment provider is configured (PAYMENT_API_URL)');
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const body = new URLSearchParams({
      amount: String(request.amountCents),
      currency: request.currency,
      description: request.description,
    });
    const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    try {
      const response = await fetch(`${this.config.apiUrl}/v1/charges`, {
        method: 'POST',
        headers,
        body: body.toString(),
        signal,
      });
      const text = await response.text();
      if (response.ok) return { chargeId: (JSON.parse(text) as { id: string }).id };
      if (response.status === 402) throw new ProviderCallError('declined', 'the card was declined');
      if (response.status === 429 || response.status >= 500) {
        throw new ProviderCallError('unavailable', `payment provider answered ${response.status}`);
      }
      throw new ProviderCallError(
        'rejected',
        `payment provider refused the charge (${response.status}): ${text}`,
      );
    } catch (error) {
      if (error instanceof ProviderCallError) throw error;
      if ((error as Error).name === 'TimeoutError') {
        throw new ProviderCallError(
          'timeout',
          `payment provider did not answer within ${options.timeoutMs} ms`,
        );
      }
      throw new ProviderCallError('unavailable', `payment provider unreachable: ${(error as Error).message}`);
    }
  }
}
