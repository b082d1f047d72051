import { Inject, Injectable } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import type { RaisedAlert } from '../src/alerts/alert.js';
import { APP_CONFIG, type AppConfig } from '../src/config.js';
import type { NotifyOutcome } from '../src/notifications/notification-client.service.js';

/**
 * vitals:V-17, the original design: "rate limiting not mentioned", "timeout configurations not defined",
 * "circuit breaker pattern not mentioned". Plugged into the real service in place of its limiter and its
 * notification client, so the proof drives the same gateway and the same alert path with these inside.
 */

/** In place of DeviceRateLimiter: whatever a device sends, however fast, is let through. */
@Injectable()
export class NoDeviceRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  // A token bucket per device: DEVICE_RATE_PER_SECOND readings a second on average, DEVICE_RATE_BURST at once.
  // Returns 0 when the readings may pass, else how long to wait before retrying. (The service keeps the buckets
  // in Redis, so every instance of the API counts against the same one.)
  take(deviceId: string, readings: number): Promise<number> {
    const { ratePerSecond: rate, rateBurst: burst } = this.config.ingest;
    const now = Date.now();
    const bucket = this.buckets.get(deviceId) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * rate) / 1000);
    bucket.at = now;
    this.buckets.set(deviceId, bucket);
    if (bucket.tokens >= readings) {
      bucket.tokens -= readings;
      return Promise.resolve(0);
    }
    return Promise.resolve(Math.ceil(((readings - bucket.tokens) * 1000) / rate));
  }
}

/**
 * In place of NotificationClient: the provider is called on every alert and waited for. With
 * `timeoutMs` undefined (the review's design) a hanging provider holds the caller as long as it hangs;
 * with a timeout (a flaw put back) each call still goes out and waits it out, as there is no breaker.
 */
export class UnguardedNotificationClient {
  private readonly breaker: CircuitBreaker<[RaisedAlert], void>;

  // Each call is bounded by a timeout (100 ms unless told), and a circuit breaker counts the outcomes: once half
  // of at least 5 calls failed, it opens and further alerts fail at once ('rejected') instead of each waiting
  // out the timeout, until a trial call after 60 s finds the provider back. (The service reads these from
  // NOTIFY_TIMEOUT_MS and NOTIFY_BREAKER_*.)
  constructor(
    private readonly url: string | undefined,
    private readonly timeoutMs = 100,
  ) {
    this.breaker = new CircuitBreaker((alert: RaisedAlert) => this.post(alert), {
      timeout: this.timeoutMs,
      errorThresholdPercentage: 50,
      volumeThreshold: 5,
      resetTimeout: 60_000,
    });
  }

  get state(): 'closed' | 'half-open' | 'open' {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  async notify(alert: RaisedAlert): Promise<NotifyOutcome> {
    if (this.url === undefined) return 'disabled';
    try {
      await this.breaker.fire(alert);
      return 'sent';
    } catch (error) {
      return this.breaker.opened && (error as { code?: string }).code === 'EOPENBREAKER'
        ? 'rejected'
        : 'failed';
    }
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }

  private async post(alert: RaisedAlert): Promise<void> {
    const response = await fetch(this.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`provider answered ${response.status}`);
  }
}
