import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { deeplV2Dialect } from './deepl-v2-dialect.js';
import { codePoints, fakeTranslation, type EmulatedGlossary } from './fake-translation.js';
import { googleV3Dialect } from './google-v3-dialect.js';
import { latencySampler, type LatencyDistribution } from './latency-distribution.js';
import type {
  ProviderAnswer,
  ProviderDialect,
  ProviderError,
  ReceivedRequest,
  TranslateCall,
} from './provider-dialect.js';

export type TranslationProviderApi = 'google-v3' | 'deepl-v2';
export type ProviderServerError = 500 | 502 | 503 | 504;

export interface TranslationProviderEmulatorOptions {
  /** Which API the server speaks: Cloud Translation v3 `translateText` or DeepL v2 `/v2/translate`. */
  api: TranslationProviderApi;
  /** The port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** The key the caller must present (Google: bearer token or x-goog-api-key; DeepL: DeepL-Auth-Key). */
  apiKey?: string;
  latency?: LatencyDistribution;
  /** Seeds the latency sampler (default 1), so every run meets the same delays. */
  seed?: number;
  /** Characters admitted per minute (Google's per-project quota); past it a call gets 429 + Retry-After. */
  charactersPerMinute?: number;
  /** Calls admitted per second; past it a call gets 429 + Retry-After. */
  requestsPerSecond?: number;
  /** Characters for the whole billing period; past it DeepL answers 456, Google 429 RESOURCE_EXHAUSTED. */
  characterLimit?: number;
  /** The quota windows' clock (default Date.now): a test can step time instead of waiting a minute. */
  clock?: () => number;
  /** How long an idle keep-alive connection stays open (default 60 s, like a cloud front end). */
  keepAliveTimeoutMs?: number;
}

/** One call to the translate endpoint, as the emulator saw and answered it. */
export interface TranslationCallRecord {
  segments: number;
  /** Code points in the call's texts, as the provider bills them. */
  characters: number;
  targetLanguage: string;
  /** The call's texts, so a bench can tell which calls carried a given text. */
  texts: string[];
  /** How long the latency distribution made the call wait (0 without one): the provider's time, not the caller's. */
  latencyMs: number;
  /** The answer's HTTP status; 0 while unanswered or when the caller went away first. */
  status: number;
  /** Which TCP connection carried the call: 1 for the first the server accepted, 2 for the next… */
  connection: number;
}

/** A quota window's use: `count` units since `start`. */
interface QuotaWindow {
  start: number;
  count: number;
}

interface HeldCall {
  release: () => void;
}

const DIALECTS: Record<TranslationProviderApi, ProviderDialect> = {
  'google-v3': googleV3Dialect,
  'deepl-v2': deeplV2Dialect,
};

/**
 * A local translation provider: a real HTTP server speaking Google Cloud Translation v3 `translateText` or DeepL
 * v2 `/v2/translate` (their routes, auth headers, request and answer shapes, error bodies and batch limits),
 * translating deterministically (`[de] text`, glossary terms applied). It behaves like the real services under
 * load: a latency distribution, a per-minute character quota and a requests-per-second limit answered with 429
 * and `Retry-After`, a billing-period character limit, injectable 5xx bursts or an outage, and explicit
 * `hold()`/`release()` so a test decides when answers leave. Counters say what it received: every call with its
 * segments, characters, status and TCP connection; 429s and 5xx sent; connections opened; calls in flight.
 *
 * Admission order, as the real services check: route, key, request shape and batch limits (4xx), billing
 * limit, requests per second, characters per minute (429), then latency, hold, injected fault, answer. A call
 * refused with 429 uses none of the quota; an admitted call uses it even when a fault then answers 5xx.
 */
export class TranslationProviderEmulator {
  readonly calls: TranslationCallRecord[] = [];
  charactersPerMinute: number | undefined;
  requestsPerSecond: number | undefined;
  characterLimit: number | undefined;
  /** Every answer is this 5xx while set (an outage), after any `failNext` faults. */
  down: ProviderServerError | undefined;
  connectionsOpened = 0;
  maxOpenConnections = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Calls whose caller closed the connection before the answer (it timed out or gave up). */
  abandoned = 0;

  private readonly dialect: ProviderDialect;
  private readonly apiKey: string;
  private readonly clock: () => number;
  private readonly seed: number;
  private sampleLatency: (() => number) | undefined;
  private readonly faults: ProviderServerError[] = [];
  private readonly glossaries = new Map<string, EmulatedGlossary>();
  private readonly connectionIds = new WeakMap<Socket, number>();
  private readonly openSockets = new Set<Socket>();
  private readonly heldCalls = new Set<HeldCall>();
  private holding = false;
  private readonly requestWindow: QuotaWindow = { start: 0, count: 0 };
  private readonly characterWindow: QuotaWindow = { start: 0, count: 0 };
  private charactersBilled = 0;

  private constructor(
    private readonly server: Server,
    options: TranslationProviderEmulatorOptions,
  ) {
    this.dialect = DIALECTS[options.api];
    this.apiKey = options.apiKey ?? 'emulator-key';
    this.clock = options.clock ?? Date.now;
    this.seed = options.seed ?? 1;
    this.latency = options.latency;
    this.charactersPerMinute = options.charactersPerMinute;
    this.requestsPerSecond = options.requestsPerSecond;
    this.characterLimit = options.characterLimit;
  }

  static async start(options: TranslationProviderEmulatorOptions): Promise<TranslationProviderEmulator> {
    const server = createServer();
    server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 60_000;
    const emulator = new TranslationProviderEmulator(server, options);
    server.on('connection', (socket: Socket) => emulator.track(socket));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void emulator.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    return emulator;
  }

  /** `http://127.0.0.1:<port>`: the API base; the client appends the dialect's path. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get api(): TranslationProviderApi {
    return this.dialect.name;
  }

  /** Changes the latency distribution for the calls that arrive from now on (undefined: answer at once). */
  set latency(distribution: LatencyDistribution | undefined) {
    this.sampleLatency = distribution === undefined ? undefined : latencySampler(distribution, this.seed);
  }

  get openConnections(): number {
    return this.openSockets.size;
  }

  /** Calls waiting for `release()`. */
  get held(): number {
    return this.heldCalls.size;
  }

  /** Segments answered with a translation (status 200). */
  get segmentsTranslated(): number {
    return this.answered().reduce((sum, call) => sum + call.segments, 0);
  }

  /** Characters answered with a translation (status 200). */
  get charactersTranslated(): number {
    return this.answered().reduce((sum, call) => sum + call.characters, 0);
  }

  get tooManyRequestsSent(): number {
    return this.calls.filter((call) => call.status === 429).length;
  }

  get serverErrorsSent(): number {
    return this.calls.filter((call) => call.status >= 500).length;
  }

  /** The next `times` admitted calls are answered with `status` (a 5xx burst), then service resumes. */
  failNext(status: ProviderServerError, times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults.push(status);
  }

  /** Admitted calls wait, unanswered, until `release()`. */
  hold(): void {
    this.holding = true;
  }

  /** Lets every held call (and every later one) be answered. */
  release(): void {
    this.holding = false;
    for (const call of this.heldCalls) call.release();
    this.heldCalls.clear();
  }

  /** Defines or replaces a glossary by the name the dialect uses (Google's resource name, DeepL's id). */
  setGlossary(name: string, terms: EmulatedGlossary): void {
    this.glossaries.set(name, { ...terms });
  }

  /** Forgets the calls and the peaks seen so far (quota windows and open connections stay as they are). */
  resetCounters(): void {
    this.calls.length = 0;
    this.connectionsOpened = 0;
    this.maxOpenConnections = this.openSockets.size;
    this.maxInFlight = this.inFlight;
    this.abandoned = 0;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.connectionsOpened += 1;
    this.connectionIds.set(socket, this.connectionsOpened);
    this.openSockets.add(socket);
    this.maxOpenConnections = Math.max(this.maxOpenConnections, this.openSockets.size);
    socket.on('close', () => this.openSockets.delete(socket));
  }

  private answered(): TranslationCallRecord[] {
    return this.calls.filter((call) => call.status === 200);
  }

  private async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const request: ReceivedRequest = {
      method: incoming.method ?? 'GET',
      path: (incoming.url ?? '/').split('?')[0] ?? '/',
      headers: incoming.headers,
      body: await readBody(incoming),
    };
    if (!this.dialect.isTranslateRoute(request)) {
      send(response, this.dialect.error({ kind: 'not-found', message: 'Not found' }));
      return;
    }
    const record: TranslationCallRecord = {
      segments: 0,
      characters: 0,
      targetLanguage: '',
      texts: [],
      latencyMs: 0,
      status: 0,
      connection: this.connectionIds.get(incoming.socket) ?? 0,
    };
    this.calls.push(record);
    const refusal = this.refusal(request, record);
    if (refusal !== undefined) {
      record.status = send(response, this.dialect.error(refusal.error), refusal.retryAfterSeconds);
      return;
    }
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const answer = await this.admitted(request, response, record);
      if (response.destroyed) {
        this.abandoned += 1;
        return;
      }
      record.status = send(response, answer);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** The 4xx or 429 a call meets before it is admitted, or undefined when it is admitted (and billed). */
  private refusal(
    request: ReceivedRequest,
    record: TranslationCallRecord,
  ): { error: ProviderError; retryAfterSeconds?: number } | undefined {
    if (!this.dialect.isAuthorized(request, this.apiKey)) return { error: { kind: 'unauthenticated' } };
    const call = this.dialect.parse(request);
    if ('kind' in call) return { error: call };
    record.segments = call.texts.length;
    record.characters = call.texts.reduce((sum, text) => sum + codePoints(text), 0);
    record.targetLanguage = call.targetLanguage;
    record.texts = call.texts;
    const glossaryProblem = this.dialect.glossaryProblem(request, call) ?? this.unknownGlossary(call);
    if (glossaryProblem !== undefined) return { error: glossaryProblem };

    const now = this.clock();
    if (
      this.characterLimit !== undefined &&
      this.charactersBilled + record.characters > this.characterLimit
    ) {
      return {
        error: { kind: 'quota-exhausted', message: 'Character limit for the billing period reached.' },
      };
    }
    const second = roll(this.requestWindow, now, 1_000);
    if (this.requestsPerSecond !== undefined && second.count + 1 > this.requestsPerSecond) {
      return {
        error: { kind: 'rate-limited', message: "Quota exceeded for quota metric 'Requests per second'." },
        retryAfterSeconds: secondsUntil(second.start + 1_000, now),
      };
    }
    const minute = roll(this.characterWindow, now, 60_000);
    if (
      this.charactersPerMinute !== undefined &&
      minute.count + record.characters > this.charactersPerMinute
    ) {
      return {
        error: { kind: 'rate-limited', message: "Quota exceeded for quota metric 'Characters per minute'." },
        retryAfterSeconds: secondsUntil(minute.start + 60_000, now),
      };
    }
    second.count += 1;
    minute.count += record.characters;
    this.charactersBilled += record.characters;
    return undefined;
  }

  /** Waits for `release()`; a caller that goes away first stops counting as held. */
  private heldUntilReleased(response: ServerResponse): Promise<void> {
    return new Promise<void>((release) => {
      const call: HeldCall = { release };
      this.heldCalls.add(call);
      response.on('close', () => {
        if (this.heldCalls.delete(call)) release();
      });
    });
  }

  private unknownGlossary(call: TranslateCall): ProviderError | undefined {
    if (call.glossary === undefined || this.glossaries.has(call.glossary)) return undefined;
    return { kind: 'not-found', message: `Glossary not found: ${call.glossary}` };
  }

  private async admitted(
    request: ReceivedRequest,
    response: ServerResponse,
    record: TranslationCallRecord,
  ): Promise<ProviderAnswer> {
    const latencyMs = this.sampleLatency?.() ?? 0;
    record.latencyMs = latencyMs;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (this.holding) await this.heldUntilReleased(response);
    const fault = this.faults.shift() ?? this.down;
    if (fault !== undefined) return this.dialect.error({ kind: 'server-error', status: fault });
    const call = this.dialect.parse(request) as TranslateCall;
    const glossary = call.glossary === undefined ? undefined : this.glossaries.get(call.glossary);
    return this.dialect.translated(
      call,
      call.texts.map((text) => fakeTranslation(text, call.targetLanguage)),
      glossary === undefined
        ? undefined
        : call.texts.map((text) => fakeTranslation(text, call.targetLanguage, glossary)),
    );
  }
}

/** Moves `window` to the fixed window of `lengthMs` holding `now`, emptying it when time has moved on. */
function roll(window: QuotaWindow, now: number, lengthMs: number): QuotaWindow {
  const start = Math.floor(now / lengthMs) * lengthMs;
  if (start !== window.start) {
    window.start = start;
    window.count = 0;
  }
  return window;
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1_000));
}

/** Writes the answer (with Retry-After when given) and returns its status. */
function send(response: ServerResponse, answer: ProviderAnswer, retryAfterSeconds?: number): number {
  response
    .writeHead(answer.status, {
      'content-type': 'application/json',
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    })
    .end(JSON.stringify(answer.body));
  return answer.status;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
