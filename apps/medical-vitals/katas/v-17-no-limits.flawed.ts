import type { RaisedAlert } from '../src/alerts/alert.js';
import type { NotifyOutcome } from '../src/notifications/notification-client.service.js';

/**
 * vitals:V-17, the original design: "rate limiting not mentioned", "timeout configurations not defined",
 * "circuit breaker pattern not mentioned". Plugged into the real service in place of its limiter and its
 * notification client, so the proof drives the same gateway and the same alert path with these inside.
 */

/** In place of DeviceRateLimiter: whatever a device sends, however fast, is let through. */
export class NoDeviceRateLimit {
  take(_deviceId: string, _readings: number): Promise<number> {
    return Promise.resolve(0);
  }
}

/**
 * In place of NotificationClient: the provider is called on every alert and waited for. With
 * `timeoutMs` undefined (the review's design) a hanging provider holds the caller as long as it hangs;
 * with a timeout (a flaw put back) each call still goes out and waits it out, as there is no breaker.
 */
export class UnguardedNotificationClient {
  constructor(
    private readonly url: string | undefined,
    private readonly timeoutMs?: number,
  ) {}

  get state(): 'closed' {
    return 'closed';
  }

  async notify(alert: RaisedAlert): Promise<NotifyOutcome> {
    if (this.url === undefined) return 'disabled';
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alert),
        ...(this.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(this.timeoutMs) }),
      });
      if (!response.ok) throw new Error(`provider answered ${response.status}`);
      return 'sent';
    } catch {
      return 'failed';
    }
  }

  onModuleDestroy(): void {}
}
