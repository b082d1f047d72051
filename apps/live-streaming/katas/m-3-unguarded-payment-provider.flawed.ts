import type { OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import type { PaymentsConfig } from '../src/config.js';
import { ChargesApi, isRetryableFailure } from '../src/tips/payments/charges-api.js';
import { paymentFailure } from '../src/tips/payments/payment-failure.js';
import { PaymentProvider, type Charge, type ChargeRequest } from '../src/tips/payments/payment-provider.js';
import { retryCharge } from '../src/tips/payments/retry-charge.js';

/*
 * livestream:M3 — the design calls Stripe (and the media server) with no timeout, no circuit breaker and no
 * idempotency key: a provider that hangs holds every tip request for as long as it hangs, each new tip is
 * one more call to the hanging provider, and a charge whose answer was lost is charged again when the viewer
 * retries. UnguardedPaymentProvider takes PaymentProvider's place under the real TipsService and route.
 */
export class UnguardedPaymentProvider extends PaymentProvider {
  private readonly api: ChargesApi;

  constructor(config: PaymentsConfig) {
    super();
    this.api = new ChargesApi(config);
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    try {
      return await this.api.create(request, {});
    } catch (error) {
      throw paymentFailure(error, 1);
    }
  }
}

/* Close cousins, put back into the remediated service. */

/** Timeouts and retries with the idempotency key, but no breaker: every tip keeps calling a provider that is down. */
export class PaymentProviderWithoutBreaker extends PaymentProvider {
  private readonly api: ChargesApi;

  constructor(private readonly config: PaymentsConfig) {
    super();
    this.api = new ChargesApi(config);
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    const options = { timeoutMs: this.config.timeoutMs, idempotencyKey: request.idempotencyKey };
    try {
      return await retryCharge(() => this.api.create(request, options), this.config);
    } catch (error) {
      throw paymentFailure(error, 1);
    }
  }
}

/**
 * A breaker and retries with the key, but calls without a timeout: each call waits as long as the provider
 * holds it, and the breaker only learns of the failure when the provider finally drops the connection.
 */
export class PaymentProviderWithoutTimeout extends PaymentProvider implements OnModuleDestroy {
  private readonly breaker: CircuitBreaker<[ChargeRequest], Charge>;

  constructor(private readonly config: PaymentsConfig) {
    super();
    const api = new ChargesApi(config);
    this.breaker = new CircuitBreaker(
      (request: ChargeRequest) => api.create(request, { idempotencyKey: request.idempotencyKey }),
      breakerOptions(config),
    );
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    try {
      return await retryCharge(() => this.breaker.fire(request), this.config);
    } catch (error) {
      throw paymentFailure(error, Math.ceil(this.config.breakerResetMs / 1_000));
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }
}

/** Timeout, breaker and retries, but no idempotency key: a retry after a lost answer is a second charge. */
export class PaymentProviderWithoutIdempotencyKey extends PaymentProvider implements OnModuleDestroy {
  private readonly breaker: CircuitBreaker<[ChargeRequest], Charge>;

  constructor(private readonly config: PaymentsConfig) {
    super();
    const api = new ChargesApi(config);
    this.breaker = new CircuitBreaker(
      (request: ChargeRequest) => api.create(request, { timeoutMs: config.timeoutMs }),
      breakerOptions(config),
    );
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    try {
      return await retryCharge(() => this.breaker.fire(request), this.config);
    } catch (error) {
      throw paymentFailure(error, Math.ceil(this.config.breakerResetMs / 1_000));
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }
}

function breakerOptions(config: PaymentsConfig): CircuitBreaker.Options {
  return {
    timeout: false,
    errorThresholdPercentage: config.breakerErrorPercent,
    volumeThreshold: config.breakerVolume,
    resetTimeout: config.breakerResetMs,
    errorFilter: (error: unknown) => !isRetryableFailure(error),
  };
}
