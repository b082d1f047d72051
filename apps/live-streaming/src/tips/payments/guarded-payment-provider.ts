import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { APP_CONFIG } from '../../app-config.module.js';
import type { AppConfig, PaymentsConfig } from '../../config.js';
import { ChargesApi, isRetryableFailure } from './charges-api.js';
import { paymentFailure } from './payment-failure.js';
import { PaymentProvider, type Charge, type ChargeRequest } from './payment-provider.js';
import { retryCharge } from './retry-charge.js';

/**
 * The provider as livestream:M3 wants it: each call has a timeout that also closes its connection, a timed-out
 * or failed call is retried with the same idempotency key (so the provider charges once), and every call goes
 * through an opossum circuit breaker that opens on repeated failures and timeouts. While it is open a tip fails
 * at once with 503 and Retry-After instead of tying up a request on a provider that is not answering.
 */
@Injectable()
export class GuardedPaymentProvider extends PaymentProvider implements OnModuleDestroy {
  private readonly settings: PaymentsConfig;
  private readonly breaker: CircuitBreaker<[ChargeRequest], Charge>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.settings = config.payments;
    const api = new ChargesApi(this.settings);
    this.breaker = new CircuitBreaker(
      (request: ChargeRequest) =>
        api.create(request, { timeoutMs: this.settings.timeoutMs, idempotencyKey: request.idempotencyKey }),
      {
        // The call's own AbortSignal is the timeout: opossum's would reject but leave the connection open.
        timeout: false,
        errorThresholdPercentage: this.settings.breakerErrorPercent,
        volumeThreshold: this.settings.breakerVolume,
        resetTimeout: this.settings.breakerResetMs,
        // A decline or a refused request is the provider answering: not a reason to stop calling it.
        errorFilter: (error: unknown) => !isRetryableFailure(error),
        name: 'payment-provider',
      },
    );
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    try {
      return await retryCharge(() => this.breaker.fire(request), this.settings);
    } catch (error) {
      throw paymentFailure(error, Math.ceil(this.settings.breakerResetMs / 1_000));
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }
}
