import { BadGatewayException, GatewayTimeoutException, ServiceUnavailableException } from '@nestjs/common';
import { ProviderCallError } from './charges-api.js';
import { PaymentDeclinedError } from './payment-provider.js';

/** 503 while the breaker is open; the error filter sends its own wait as Retry-After. */
export class PaymentsUnavailableException extends ServiceUnavailableException {
  constructor(readonly retryAfterSeconds: number) {
    super('payments are unavailable for now: the payment provider is failing; retry later');
  }
}

/** What a failed charge becomes at the port: a decline, or the HTTP answer that says why no charge came. */
export function paymentFailure(error: unknown, breakerRetryAfterSeconds: number): Error {
  if ((error as { code?: string } | null)?.code === 'EOPENBREAKER') {
    return new PaymentsUnavailableException(breakerRetryAfterSeconds);
  }
  if (!(error instanceof ProviderCallError)) return error instanceof Error ? error : new Error(String(error));
  switch (error.failure) {
    case 'declined':
      return new PaymentDeclinedError();
    case 'timeout':
      return new GatewayTimeoutException(
        'the payment provider did not answer in time; retry with the same Idempotency-Key',
      );
    case 'unavailable':
    case 'rejected':
      return new BadGatewayException('the payment provider failed; retry with the same Idempotency-Key');
  }
}
