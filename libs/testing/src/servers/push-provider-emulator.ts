import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PushProviderEmulatorOptions {
  /** The port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Calls admitted per fixed window before the emulator answers 429 with Retry-After (default: no limit). */
  rateLimit?: PushRateLimit;
  /** Recipients one call may name (default 2,000, like OneSignal's external-id targeting). */
  maxRecipients?: number;
}

export interface PushRateLimit {
  requests: number;
  windowMs: number;
}

/** A status the next calls answer instead of sending (nothing is delivered for them). */
export type PushFault = { status: 500 | 502 | 503 };

/**
 * A local mobile-push provider, OneSignal-like: a real HTTP server with one call, `POST /v1/notifications`
 * (bearer key `pk_test_…`, JSON `{ include_external_user_ids, headings, contents, data }`), which "delivers"
 * to every named user and answers `{ id, recipients }`. An `Idempotency-Key` seen before answers the stored
 * result and delivers nothing again. Its own rate limit answers 429 with `Retry-After` (whole seconds); a
 * call repeated under the same key before that time is counted in `ignoredRetryAfter`. Knobs: `latencyMs`,
 * `rateLimit`, `failNext(fault, times)`. Counters say what it received and how often each user was pushed.
 */
export class PushProviderEmulator {
  /** Calls received, answered or not. */
  received = 0;
  /** Calls answered 429. */
  throttled = 0;
  /** Calls repeated (same Idempotency-Key) before the Retry-After the emulator gave that call had passed. */
  ignoredRetryAfter = 0;
  latencyMs = 0;
  /** The provider's own limit, changeable while it runs (undefined: none). */
  rateLimit: PushRateLimit | undefined;
  /** Recipients per accepted (delivering) call, in order. */
  readonly batchSizes: number[] = [];

  private readonly faults: PushFault[] = [];
  private readonly deliveries = new Map<string, number>();
  private readonly byKey = new Map<string, unknown>();
  private windowStart = 0;
  private windowCalls = 0;
  /** Per call (its Idempotency-Key): when the Retry-After it was last given runs out. */
  private readonly retryNotBefore = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    private readonly options: PushProviderEmulatorOptions,
  ) {
    this.rateLimit = options.rateLimit;
  }

  static async start(options: PushProviderEmulatorOptions = {}): Promise<PushProviderEmulator> {
    const server = createServer();
    const emulator = new PushProviderEmulator(server, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void emulator.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    return emulator;
  }

  /** `http://127.0.0.1:<port>`, the API base (the client appends `/v1/notifications`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Pushes delivered to one user (more than 1 means a duplicate on their phone). */
  deliveriesTo(userId: string): number {
    return this.deliveries.get(userId) ?? 0;
  }

  /** Users pushed at least once. */
  get recipients(): number {
    return this.deliveries.size;
  }

  /** Pushes delivered in total. */
  get delivered(): number {
    let total = 0;
    for (const count of this.deliveries.values()) total += count;
    return total;
  }

  /** The next `times` calls answer `fault` and deliver nothing, before normal service resumes. */
  failNext(fault: PushFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults.push(fault);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    if (request.method !== 'POST' || request.url !== '/v1/notifications')
      return send(response, 404, { errors: ['not found'] });
    if (!/^Bearer pk_test_\w+$/.test(request.headers.authorization ?? ''))
      return send(response, 401, { errors: ['invalid api key'] });
    this.received += 1;
    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key !== '' ? key : undefined;
    const now = Date.now();
    if (idempotencyKey !== undefined && now < (this.retryNotBefore.get(idempotencyKey) ?? 0))
      this.ignoredRetryAfter += 1;
    const retryAfterSeconds = this.admit(now);
    if (retryAfterSeconds !== undefined) {
      this.throttled += 1;
      if (idempotencyKey !== undefined)
        this.retryNotBefore.set(idempotencyKey, now + retryAfterSeconds * 1_000);
      response.setHeader('retry-after', String(retryAfterSeconds));
      return send(response, 429, { errors: ['rate limit exceeded'] });
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const fault = this.faults.shift();
    if (fault !== undefined) return send(response, fault.status, { errors: [`emulated ${fault.status}`] });

    const recipients = this.recipientsOf(raw);
    if (typeof recipients === 'string') return send(response, 400, { errors: [recipients] });
    const seen = idempotencyKey === undefined ? undefined : this.byKey.get(idempotencyKey);
    if (seen !== undefined) return send(response, 200, seen);
    for (const userId of recipients) this.deliveries.set(userId, (this.deliveries.get(userId) ?? 0) + 1);
    this.batchSizes.push(recipients.length);
    const answer = { id: randomUUID(), recipients: recipients.length };
    if (idempotencyKey !== undefined) this.byKey.set(idempotencyKey, answer);
    return send(response, 200, answer);
  }

  /** Undefined when the call is admitted, else the whole seconds until the window resets. */
  private admit(now: number): number | undefined {
    const limit = this.rateLimit;
    if (limit === undefined) return undefined;
    if (now - this.windowStart >= limit.windowMs) {
      this.windowStart = now;
      this.windowCalls = 0;
    }
    this.windowCalls += 1;
    if (this.windowCalls <= limit.requests) return undefined;
    return Math.max(1, Math.ceil((this.windowStart + limit.windowMs - now) / 1_000));
  }

  private recipientsOf(raw: string): string[] | string {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return 'body must be JSON';
    }
    const ids = (body as { include_external_user_ids?: unknown } | null)?.include_external_user_ids;
    const max = this.options.maxRecipients ?? 2_000;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > max)
      return `include_external_user_ids must list 1 to ${max} users`;
    if (!ids.every((id): id is string => typeof id === 'string' && id !== ''))
      return 'include_external_user_ids must be strings';
    return ids;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
