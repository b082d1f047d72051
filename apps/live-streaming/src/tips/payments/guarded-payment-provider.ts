import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import CircuitBreaker from 'opossum';
import { Counter, Gauge, type Registry } from 'prom-client';
import { APP_CONFIG } from '../../app-config.module.js';
import type { AppConfig, PaymentsConfig } from '../../config.js';
import { ChargesApi, isRetryableFailure } from './charges-api.js';
import { paymentFailure } from './payment-failure.js';
import {
  PaymentDeclinedError,
  PaymentProvider,
  type Charge,
  type ChargeRequest,
} from './payment-provider.js';
import { retryCharge } from './retry-charge.js';

const BREAKER_STATE = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * The provider as livestream:M3 wants it: each call has a timeout that also closes its connection, a timed-out
 * or failed call is retried with the same idempotency key (so the provider charges once), and every call goes
 * through an opossum circuit breaker that opens on repeated failures and timeouts. While it is open a tip fails
 * at once with 503 and Retry-After instead of tying up a request on a provider that is not answering.
 * Metrics: live_payment_breaker_state (0 closed, 1 half-open, 2 open) and live_payment_charges_total by outcome.
 */
@Injectable()
export class GuardedPaymentProvider extends PaymentProvider implements OnModuleDestroy {
  private readonly settings: PaymentsConfig;
  private readonly breaker: CircuitBreaker<[ChargeRequest], Charge>;
  private readonly outcomes: Counter<'outcome'>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(METRICS_REGISTRY) registry: Registry) {
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
    const breaker = this.breaker;
    new Gauge({
      name: 'live_payment_breaker_state',
      help: 'Circuit breaker of the payment provider: 0 closed, 1 half-open, 2 open',
      registers: [registry],
      // A state, not an amount: across the workers of a cluster the most open one.
      aggregator: 'max',
      collect() {
        this.set(
          breaker.opened
            ? BREAKER_STATE.open
            : breaker.halfOpen
              ? BREAKER_STATE.halfOpen
              : BREAKER_STATE.closed,
        );
      },
    });
    this.outcomes = new Counter({
      name: 'live_payment_charges_total',
      help: 'Tip charges by outcome (the HTTP status a failed one answered: 402, 502, 503 = breaker open, 504)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    try {
      const charge = await retryCharge(() => this.breaker.fire(request), this.settings);
      this.outcomes.inc({ outcome: 'charged' });
      return charge;
    } catch (error) {
      const failure = paymentFailure(error, Math.ceil(this.settings.breakerResetMs / 1_000));
      this.outcomes.inc({ outcome: outcomeOf(failure) });
      throw failure;
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }
}

function outcomeOf(failure: Error): string {
  if (failure instanceof PaymentDeclinedError) return '402';
  const status = (failure as { getStatus?: () => number }).getStatus?.();
  return status === undefined ? 'error' : String(status);
}
