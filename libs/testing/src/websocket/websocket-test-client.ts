import WebSocket from 'ws';

/** A JSON frame as the server sent it. */
export type Frame = Record<string, unknown>;

export interface WebSocketTestClientOptions {
  /** Names the socket in a failed wait's error, e.g. `chat socket`. */
  name: string;
  /** How long a wait for the server's answer may take before the test fails with what it has seen. */
  answerTimeoutMs: number;
}

/** A string value longer than this is shortened in a failed wait's error, so the frames around it still show. */
const LONGEST_STRING_SHOWN = 60;
/** How much of the frames seen a failed wait's error shows. */
const FRAMES_SHOWN_CHARS = 400;

/**
 * A raw WebSocket for tests of the apps' sockets: records every JSON frame and how the socket closed, sends
 * JSON, authenticates with the first message, and waits for a condition on the frames with a hard timeout that
 * fails the test with what it saw (it never races a timer against the server). An app's client extends it with
 * its socket's path (a static `open` returning `new …(url).opened()`) and protocol steps, and overrides `record`
 * where a frame needs an answer.
 */
export class WebSocketTestClient {
  readonly socket: WebSocket;
  /** Every message received; a batch frame (libs/realtime's frame window) is recorded as the messages it carries. */
  readonly frames: Frame[] = [];
  /** For each entry of `frames`, the index of the WebSocket frame that carried it (a batch carries several). */
  readonly wireFrameOf: number[] = [];
  /** For each entry of `frames`, when its WebSocket frame arrived (performance.now() of this process). */
  readonly arrivedAt: number[] = [];
  /** WebSocket frames received: fewer than `frames` when the server's frame window batched them. */
  wireFrames = 0;
  closeCode: number | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly opening: Promise<void>;

  protected constructor(
    url: string,
    private readonly options: WebSocketTestClientOptions,
  ) {
    const socket = new WebSocket(url);
    this.socket = socket;
    // Listen before 'open': a frame that arrives with the upgrade response is emitted in the same tick.
    this.opening = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('message', (data: Buffer) => {
      const arrivedAt = performance.now();
      const recordedBefore = this.frames.length;
      this.record(parseFrame(data), data);
      for (let index = recordedBefore; index < this.frames.length; index += 1) {
        this.wireFrameOf.push(this.wireFrames);
        this.arrivedAt.push(arrivedAt);
      }
      this.wireFrames += 1;
      this.wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Sends the first-message auth the apps' sockets take and resolves once the server confirmed it. */
  async authenticate(token: string): Promise<this> {
    this.send({ type: 'auth', token });
    await this.until('authenticated', () => this.has('authenticated'));
    return this;
  }

  send(message: unknown): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendRaw(data: string | Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(data, { binary: typeof data !== 'string' });
  }

  has(type: string): boolean {
    return this.frames.some((frame) => frame['type'] === type);
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((frame) => frame['type'] === type);
  }

  errorCodes(): string[] {
    return this.ofType('error').map((frame) => String(frame['code']));
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Resolves once `check()` holds (re-read on every frame and on close); rejects after the timeout with the frames seen so far. */
  until(what: string, check: () => boolean, timeoutMs = this.options.answerTimeoutMs): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(
            `${this.options.name}: no ${what} within ${timeoutMs} ms; frames ${this.framesSeen()}, close ${this.closeCode}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves with the close code once the socket is closed (by either side). */
  async closed(): Promise<number> {
    await this.until('close', () => this.closeCode !== undefined);
    return this.closeCode!;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  /** Resolves with this client once its socket is open; rejects if the upgrade failed. */
  protected async opened(): Promise<this> {
    await this.opening;
    return this;
  }

  /** Keeps one received frame (a batch as the frames it carries, in order); `data` is the frame as it came over the wire. */
  protected record(frame: Frame, _data: Buffer): void {
    if (frame['type'] === 'batch' && Array.isArray(frame['messages']))
      this.frames.push(...(frame['messages'] as Frame[]));
    else this.frames.push(frame);
  }

  private framesSeen(): string {
    const shortened = JSON.stringify(this.frames, (_key, value: unknown) =>
      typeof value === 'string' && value.length > LONGEST_STRING_SHOWN
        ? `${value.slice(0, 20)}…(${value.length} chars)`
        : value,
    );
    return shortened.slice(0, FRAMES_SHOWN_CHARS);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function parseFrame(data: Buffer): Frame {
  try {
    return JSON.parse(data.toString('utf8')) as Frame;
  } catch {
    return { type: '(not JSON)', text: data.toString('utf8').slice(0, 80) };
  }
}
