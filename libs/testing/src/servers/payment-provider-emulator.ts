import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A charge as the emulator stores and answers it (the subset of Stripe's charge object we use). */
export interface EmulatedCharge {
  id: string;
  object: 'charge';
  amount: number;
  currency: string;
  description: string | null;
  status: 'succeeded';
  paid: true;
}

/**
 * What the next calls meet instead of a normal answer. `charge: true` makes the charge first and then loses
 * the answer (the case an idempotency key exists for: the caller cannot tell whether it was charged).
 */
export type PaymentFault =
  | { kind: 'status'; status: 429 | 500 | 502 | 503; charge: boolean }
  | { kind: 'hang'; charge: boolean }
  | { kind: 'decline' };

export interface PaymentProviderEmulatorOptions {
  /** The port on 127.0.0.1 (default 0: any free port). */
  port?: number;
}

const MINIMUM_AMOUNT = 50;
const CURRENCIES = new Set(['usd', 'eur', 'jpy', 'gbp']);

/**
 * A local Stripe-like payment provider: a real HTTP server speaking a small subset of the Charges API
 * (`POST /v1/charges`, form-encoded `amount`, `currency`, `description`, bearer secret key), with Stripe's
 * `Idempotency-Key` semantics: a key seen before answers the stored result and never charges again; the same
 * key with other parameters is a 400 `idempotency_error`. Knobs, set while it runs: `latencyMs`, `hanging`
 * (every call held, never answered), `failNext(fault, times)` (429/5xx, hang, decline, each with or without
 * the charge made first). A hanging call is held until its caller gives up or the test calls `releaseHeld()`
 * (no timer of the emulator's own races the caller's). Counters say what it received and how many charges
 * each key made.
 */
export class PaymentProviderEmulator {
  /** Calls to POST /v1/charges received, answered or not. */
  received = 0;
  /** Hanging calls whose caller closed the connection before an answer (it timed out). */
  abandoned = 0;
  /** Hanging calls dropped by `releaseHeld()`: the caller was still waiting when the test let go. */
  released = 0;
  latencyMs = 0;
  /** Every call is held without an answer while true. */
  hanging = false;

  private readonly faults: PaymentFault[] = [];
  private readonly byKey = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private readonly chargesPerKey = new Map<string, number>();
  private readonly charges: EmulatedCharge[] = [];
  private readonly held = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(options: PaymentProviderEmulatorOptions = {}): Promise<PaymentProviderEmulator> {
    const server = createServer();
    const emulator = new PaymentProviderEmulator(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void emulator.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    return emulator;
  }

  /** `http://127.0.0.1:<port>`, the API base (the client appends `/v1/charges`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Charges made in total (never more than one per idempotency key). */
  get chargeCount(): number {
    return this.charges.length;
  }

  /** Hanging calls still held open with their caller waiting. */
  get heldOpen(): number {
    return this.held.size;
  }

  chargesFor(idempotencyKey: string): number {
    return this.chargesPerKey.get(idempotencyKey) ?? 0;
  }

  /** The next `times` calls meet `fault`, in order, before normal service resumes. */
  failNext(fault: PaymentFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults.push(fault);
  }

  /**
   * Drops the connection of every hanging call still held (its caller is still waiting), like a proxy that
   * gives up on the provider, and returns how many there were.
   */
  releaseHeld(): number {
    const waiting = [...this.held];
    this.held.clear();
    for (const response of waiting) response.socket?.destroy();
    this.released += waiting.length;
    return waiting.length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (request.method !== 'POST' || request.url !== '/v1/charges') {
      return send(
        response,
        404,
        stripeError('invalid_request_error', 'resource_missing', 'Unrecognized request URL'),
      );
    }
    if (!/^Bearer sk_test_\w+$/.test(request.headers.authorization ?? '')) {
      return send(
        response,
        401,
        stripeError('invalid_request_error', 'api_key_invalid', 'Invalid API Key provided'),
      );
    }
    this.received += 1;
    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key !== '' ? key : undefined;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

    if (this.hanging) return this.hold(response);
    const fault = this.faults.shift();
    if (fault?.kind === 'decline') {
      return send(response, 402, stripeError('card_error', 'card_declined', 'Your card was declined.'));
    }
    const params = new URLSearchParams(body);
    const answer = this.charge(params, idempotencyKey);
    if (fault === undefined) return send(response, answer.status, answer.body);
    // The charge (when the fault says so) is made before the answer is lost.
    if (!fault.charge && answer.created) this.undo(idempotencyKey);
    if (fault.kind === 'hang') return this.hold(response);
    return send(
      response,
      fault.status,
      stripeError('api_error', 'provider_unavailable', `emulated ${fault.status}`),
    );
  }

  private charge(
    params: URLSearchParams,
    idempotencyKey: string | undefined,
  ): { status: number; body: unknown; created: boolean } {
    const fingerprint = params.toString();
    const seen = idempotencyKey === undefined ? undefined : this.byKey.get(idempotencyKey);
    if (seen !== undefined) {
      if (seen.fingerprint !== fingerprint) {
        const message =
          'Keys for idempotent requests can only be used with the same parameters they were first used with.';
        return {
          status: 400,
          body: stripeError('idempotency_error', 'idempotency_key_in_use', message),
          created: false,
        };
      }
      return { status: seen.status, body: seen.body, created: false };
    }
    const amount = Number(params.get('amount'));
    const currency = (params.get('currency') ?? '').toLowerCase();
    if (!Number.isInteger(amount) || amount < MINIMUM_AMOUNT || amount > 99_999_999) {
      return {
        status: 400,
        body: stripeError('invalid_request_error', 'amount_too_small', 'Invalid amount'),
        created: false,
      };
    }
    if (!CURRENCIES.has(currency)) {
      return {
        status: 400,
        body: stripeError('invalid_request_error', 'invalid_currency', 'Invalid currency'),
        created: false,
      };
    }
    const charge: EmulatedCharge = {
      id: `ch_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      object: 'charge',
      amount,
      currency,
      description: params.get('description'),
      status: 'succeeded',
      paid: true,
    };
    this.charges.push(charge);
    const counted = idempotencyKey ?? charge.id;
    this.chargesPerKey.set(counted, (this.chargesPerKey.get(counted) ?? 0) + 1);
    if (idempotencyKey !== undefined)
      this.byKey.set(idempotencyKey, { fingerprint, status: 200, body: charge });
    return { status: 200, body: charge, created: true };
  }

  /** A fault without the charge: forget the one just made, so the key is free for the retry. */
  private undo(idempotencyKey: string | undefined): void {
    const charge = this.charges.pop();
    if (charge === undefined) return;
    const counted = idempotencyKey ?? charge.id;
    this.chargesPerKey.set(counted, (this.chargesPerKey.get(counted) ?? 1) - 1);
    if (idempotencyKey !== undefined) this.byKey.delete(idempotencyKey);
  }

  private hold(response: ServerResponse): void {
    this.held.add(response);
    response.on('close', () => {
      if (this.held.delete(response)) this.abandoned += 1;
    });
  }
}

function stripeError(type: string, code: string, message: string): { error: Record<string, string> } {
  return { error: { type, code, message } };
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
