import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { latencySampler, type LatencyDistribution } from '../translation-provider/latency-distribution.js';

/** A sentence the emulated recogniser will "hear", ending `endMs` into the stream's audio. */
export interface SpokenSentence {
  text: string;
  endMs: number;
}

/** One recognition result, shaped like a streaming STT API's: a partial grows until its final replaces it. */
export interface RecognitionResult {
  transcript: string;
  isFinal: boolean;
  /** Where the result's speech starts and ends in the stream's audio. */
  startMs: number;
  endMs: number;
}

/** One call to the recognise endpoint, as the emulator saw and answered it. */
export interface RecognitionCallRecord {
  streamId: string;
  bytes: number;
  /** The audio the call carried (by its Ogg granule positions), in stream time. */
  audioStartMs: number;
  audioEndMs: number;
  partials: number;
  finals: number;
  status: number;
}

export interface SpeechToTextEmulatorOptions {
  port?: number;
  /** The key the caller must present as `Authorization: Bearer <key>` (default 'stt-test-key'). */
  apiKey?: string;
  /** Recognition time per call (default log-normal, median 150 ms, p99 400 ms: the review's 200 ms budget). */
  latency?: LatencyDistribution;
  seed?: number;
  /** Largest request body (default 256 KiB): 413 past it. */
  maxBodyBytes?: number;
  /** Longest audio one call may carry (default 60 s, like a synchronous recognise call): 400 past it. */
  maxAudioMs?: number;
  /** Calls admitted per second (default 0: unlimited); past it 429 + Retry-After: 1. */
  requestsPerSecond?: number;
  /** The rate window's clock (default Date.now): a test can hold time still instead of racing it. */
  clock?: () => number;
}

interface StreamState {
  finalised: number;
}

const OGG_CAPTURE = Buffer.from('OggS');
/** Opus granule positions count 48 kHz samples whatever the input rate (RFC 7845 §4). */
const OPUS_GRANULE_RATE = 48;

/**
 * A local streaming speech-to-text service: a real HTTP server taking Ogg Opus audio per stream
 * (`POST /v1/streams/:id:recognize`, `Authorization: Bearer`, body `audio/ogg; codecs=opus`) and answering
 * partial and final results, and `POST /v1/streams/:id:finish` finalising what is left. It cannot understand
 * speech, so a test tells it what is said (`speak(sentences)`, each with the audio time it ends at); what it
 * answers follows the audio it actually receives, read from the Ogg pages' granule positions: a sentence whose
 * end the audio has passed is final (once per stream, however the chunks overlap), the one in progress is a
 * partial with the share of its words spoken so far. It behaves like a hosted API under load: a seeded latency
 * distribution, a body and audio-length limit, a requests-per-second limit (429 + Retry-After), injectable 5xx,
 * `hold()`/`release()`, and counters of every call.
 */
export class SpeechToTextEmulator {
  readonly calls: RecognitionCallRecord[] = [];
  private sentences: SpokenSentence[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly sampleLatency: () => number;
  private readonly apiKey: string;
  private readonly maxBodyBytes: number;
  private readonly maxAudioMs: number;
  private readonly requestsPerSecond: number;
  private readonly clock: () => number;
  private window = { start: 0, count: 0 };
  private failures: number[] = [];
  private holding = false;
  private held: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    options: SpeechToTextEmulatorOptions,
  ) {
    this.apiKey = options.apiKey ?? 'stt-test-key';
    this.sampleLatency = latencySampler(
      options.latency ?? { kind: 'log-normal', medianMs: 150, p99Ms: 400 },
      options.seed ?? 1,
    );
    this.maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
    this.maxAudioMs = options.maxAudioMs ?? 60_000;
    this.requestsPerSecond = options.requestsPerSecond ?? 0;
    this.clock = options.clock ?? Date.now;
  }

  static async start(options: SpeechToTextEmulatorOptions = {}): Promise<SpeechToTextEmulator> {
    const server = createServer();
    const emulator = new SpeechToTextEmulator(server, options);
    server.on('request', (request, response) => void emulator.handle(request, response));
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    return emulator;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get key(): string {
    return this.apiKey;
  }

  /** What every stream from now on says (the recogniser's "ground truth"). */
  speak(sentences: readonly SpokenSentence[]): void {
    this.sentences = [...sentences];
  }

  /** The next `count` admitted calls answer `status` (a 5xx burst). */
  failNext(count: number, status: 500 | 502 | 503 | 504 = 503): void {
    for (let i = 0; i < count; i += 1) this.failures.push(status);
  }

  /** Admitted calls wait, unanswered, until `release()`. */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const release of this.held.splice(0)) release();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = /^\/v1\/streams\/([\w-]{1,64}):(recognize|finish)$/.exec(request.url ?? '');
    if (request.method !== 'POST' || route === null) return reply(response, 404, error(404, 'not found'));
    if (request.headers.authorization !== `Bearer ${this.apiKey}`)
      return reply(response, 401, error(401, 'missing or invalid API key'));
    const body = await readBody(request, this.maxBodyBytes);
    if (body === null) return reply(response, 413, error(413, `body over ${this.maxBodyBytes} bytes`));
    const [, streamId = '', action] = route;
    const record: RecognitionCallRecord = {
      streamId,
      bytes: body.length,
      audioStartMs: 0,
      audioEndMs: 0,
      partials: 0,
      finals: 0,
      status: 0,
    };
    this.calls.push(record);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      reply(response, status, payload, headers);
    };
    let audio = { startMs: 0, endMs: 0 };
    if (action === 'recognize') {
      if (!String(request.headers['content-type']).startsWith('audio/ogg'))
        return answer(400, error(400, 'content-type must be audio/ogg; codecs=opus'));
      const span = audioSpan(body);
      if (span === null) return answer(400, error(400, 'body is not Ogg Opus audio'));
      if (span.endMs - span.startMs > this.maxAudioMs)
        return answer(400, error(400, `audio longer than ${this.maxAudioMs} ms in one call`));
      audio = span;
    }
    if (!this.admit()) return answer(429, error(429, 'rate limit exceeded'), { 'retry-after': '1' });
    await new Promise((resolve) => setTimeout(resolve, this.sampleLatency()));
    if (this.holding) await new Promise<void>((release) => this.held.push(release));
    const failure = this.failures.shift();
    if (failure !== undefined) return answer(failure, error(failure, 'recogniser unavailable'));
    const stream = this.streams.get(streamId) ?? { finalised: 0 };
    this.streams.set(streamId, stream);
    const heardUntil = action === 'finish' ? Number.POSITIVE_INFINITY : audio.endMs;
    const results = this.recognise(stream, heardUntil);
    if (action === 'finish') this.streams.delete(streamId);
    record.audioStartMs = audio.startMs;
    record.audioEndMs = audio.endMs;
    record.partials = results.filter((result) => !result.isFinal).length;
    record.finals = results.length - record.partials;
    answer(200, { results });
  }

  /** Finals for every sentence the audio has passed (each once per stream), then the partial in progress. */
  private recognise(stream: StreamState, heardUntil: number): RecognitionResult[] {
    const results: RecognitionResult[] = [];
    while (stream.finalised < this.sentences.length) {
      const sentence = this.sentences[stream.finalised] as SpokenSentence;
      const startMs = this.sentences[stream.finalised - 1]?.endMs ?? 0;
      if (sentence.endMs > heardUntil) {
        const words = sentence.text.split(/\s+/);
        const share = Math.max(0, (heardUntil - startMs) / (sentence.endMs - startMs));
        const spoken = words.slice(0, Math.floor(words.length * share));
        if (spoken.length > 0)
          results.push({ transcript: spoken.join(' '), isFinal: false, startMs, endMs: heardUntil });
        break;
      }
      results.push({ transcript: sentence.text, isFinal: true, startMs, endMs: sentence.endMs });
      stream.finalised += 1;
    }
    return results;
  }

  private admit(): boolean {
    if (this.requestsPerSecond === 0) return true;
    const now = this.clock();
    if (now - this.window.start >= 1_000) this.window = { start: now, count: 0 };
    if (this.window.count >= this.requestsPerSecond) return false;
    this.window.count += 1;
    return true;
  }
}

/**
 * The stream time an Ogg Opus body covers, from its audio pages' granule positions (48 kHz samples at each
 * page's end; header pages carry 0): from the end of its first audio page to the end of its last. Null when the
 * body is not a sequence of whole Ogg pages with an OpusHead.
 */
function audioSpan(body: Buffer): { startMs: number; endMs: number } | null {
  if (!body.subarray(0, 4).equals(OGG_CAPTURE) || !body.includes('OpusHead')) return null;
  let offset = 0;
  let first: number | undefined;
  let last = 0;
  while (offset + 27 <= body.length) {
    if (!body.subarray(offset, offset + 4).equals(OGG_CAPTURE)) return null;
    const segments = body[offset + 26] as number;
    let length = 27 + segments;
    for (let i = 0; i < segments; i += 1) length += body[offset + 27 + i] as number;
    const granule = Number(body.readBigInt64LE(offset + 6));
    if (granule > 0) {
      first ??= granule;
      last = granule;
    }
    offset += length;
  }
  if (offset !== body.length || first === undefined) return null;
  return { startMs: first / OPUS_GRANULE_RATE, endMs: last / OPUS_GRANULE_RATE };
}

function error(code: number, message: string): { error: { code: number; message: string } } {
  return { error: { code, message } };
}

function reply(
  response: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(payload));
}

/** The body, or null once it passes `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
