import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { METRICS_REGISTRY } from '@remedy/observability';
import CircuitBreaker from 'opossum';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RaisedAlert } from '../alerts/alert.js';
import { APP_CONFIG, type AppConfig } from '../config.js';

export type NotifyOutcome = 'sent' | 'failed' | 'rejected' | 'disabled';

const BREAKER_STATE = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * The external notification provider (pager/SMS gateway), called over HTTP with a timeout behind an
 * opossum circuit breaker (V-17): when the provider fails or hangs, the breaker opens and further calls
 * fail at once instead of each waiting out the timeout. Its state is the gauge
 * vitals_notification_breaker_state (0 closed, 1 half-open, 2 open).
 */
@Injectable()
export class NotificationClient implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationClient.name);
  private readonly breaker: CircuitBreaker<[RaisedAlert], void>;
  private readonly outcomes: Counter<'outcome'>;
  private readonly url: string | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(METRICS_REGISTRY) registry: Registry) {
    const settings = config.notifications;
    this.url = settings.url;
    this.breaker = new CircuitBreaker((alert: RaisedAlert) => this.post(alert, settings.timeoutMs), {
      timeout: settings.timeoutMs,
      errorThresholdPercentage: settings.breakerErrorPercent,
      volumeThreshold: settings.breakerVolume,
      resetTimeout: settings.breakerResetMs,
      name: 'notification-provider',
    });
    const breaker = this.breaker;
    new Gauge({
      name: 'vitals_notification_breaker_state',
      help: 'Circuit breaker of the notification provider: 0 closed, 1 half-open, 2 open',
      registers: [registry],
      // A state, not an amount: across the workers of a cluster the most open one (two open ones are 2, not 4).
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
      name: 'vitals_notifications_total',
      help: 'Alert notifications by outcome (rejected = failed fast by the open breaker)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  get state(): 'closed' | 'half-open' | 'open' {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Never throws: a failed notification is counted and logged; the alert itself is already stored. */
  async notify(alert: RaisedAlert): Promise<NotifyOutcome> {
    if (this.url === undefined) return this.count('disabled');
    try {
      await this.breaker.fire(alert);
      return this.count('sent');
    } catch (error) {
      if (this.breaker.opened && (error as { code?: string }).code === 'EOPENBREAKER')
        return this.count('rejected');
      this.logger.warn(`notification for alert ${alert.id} failed: ${String(error)}`);
      return this.count('failed');
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }

  private count(outcome: NotifyOutcome): NotifyOutcome {
    this.outcomes.inc({ outcome });
    return outcome;
  }

  private async post(alert: RaisedAlert, timeoutMs: number): Promise<void> {
    const response = await fetch(this.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`notification provider answered ${response.status}`);
  }
}
