import type { PushConfig } from '../../config.js';

export interface MobilePush {
  userIds: readonly string[];
  heading: string;
  content: string;
  data: Record<string, string>;
}

/** The provider refused or failed the call; the batch job fails and BullMQ retries it with backoff. */
export class PushProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PushProviderError';
  }
}

/**
 * The mobile push provider's HTTP API (OneSignal-like: one call names up to 2,000 users by our ids). Every
 * call carries an Idempotency-Key, so a batch retried after a lost answer is not pushed twice, and a timeout.
 * A 429 is respected: the client waits out Retry-After and then calls again, and while it waits no other
 * batch of this worker calls either (one back-off for the process, not one per batch hammering on).
 */
export class PushProviderClient {
  /** Epoch ms before which no call is made: the latest Retry-After the provider gave. */
  private notBefore = 0;

  constructor(
    private readonly config: PushConfig & { apiUrl: string },
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async send(push: MobilePush, idempotencyKey: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const wait = this.notBefore - Date.now();
      if (wait > 0) await this.sleep(wait);
      const response = await this.call(push, idempotencyKey);
      if (response.ok) return;
      if (response.status !== 429 || attempt >= this.config.attempts) {
        throw new PushProviderError(`push provider answered ${response.status}`, response.status);
      }
      this.notBefore = Math.max(this.notBefore, Date.now() + this.retryAfterMs(response));
    }
  }

  private async call(push: MobilePush, idempotencyKey: string): Promise<Response> {
    try {
      const response = await fetch(new URL('/v1/notifications', this.config.apiUrl), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.config.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({
          include_external_user_ids: push.userIds,
          headings: { en: push.heading },
          contents: { en: push.content },
          data: push.data,
        }),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      // The body is not needed; reading it frees the connection for the next call.
      await response.arrayBuffer();
      return response;
    } catch (error) {
      throw new PushProviderError(`push provider unreachable: ${(error as Error).name}`);
    }
  }

  /** Retry-After in seconds or as an HTTP date; absent or unreadable means one second. Capped by config. */
  private retryAfterMs(response: Response): number {
    const header = response.headers.get('retry-after') ?? '';
    const seconds = Number(header);
    const ms = /^\d+$/.test(header)
      ? seconds * 1_000
      : Number.isNaN(Date.parse(header))
        ? 1_000
        : Date.parse(header) - Date.now();
    return Math.min(Math.max(ms, 0), this.config.maxRetryAfterMs);
  }
}
