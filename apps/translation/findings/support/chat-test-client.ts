import WebSocket from 'ws';

export type Frame = Record<string, unknown>;

/** How long a wait for the server's answer may take before the test fails with what it has seen. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * A raw /chat socket for tests: records every frame (and which WebSocket frame carried it) and how the socket closed, sends JSON, and waits for a
 * condition with a hard timeout (never races a timer against the server: a timeout is a failure).
 */
export class ChatTestClient {
  /** Every frame, a batch recorded as the frames it carries (in order). */
  readonly frames: Frame[] = [];
  /** For each entry of `frames`, the index of the WebSocket frame that carried it (a batch carries several). */
  readonly wireFrameOf: number[] = [];
  /** WebSocket frames received: fewer than `frames` when the server's frame window batched them. */
  wireFrames = 0;
  closeCode: number | undefined;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const wireFrame = this.wireFrames;
      this.wireFrames += 1;
      try {
        const frame = JSON.parse(data.toString('utf8')) as Frame;
        // A batch frame (CHAT_FRAME_WINDOW_MS) is recorded as the frames it carries, in order.
        const carried =
          frame['type'] === 'batch' && Array.isArray(frame['messages'])
            ? (frame['messages'] as Frame[])
            : [frame];
        this.frames.push(...carried);
        this.wireFrameOf.push(...carried.map(() => wireFrame));
      } catch {
        this.wireFrameOf.push(wireFrame);
        this.frames.push({ type: '(not JSON)', text: data.toString('utf8').slice(0, 80) });
      }
      this.wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Opens a socket at `${wsUrl}${path}` (plus `suffix`, e.g. a query string a test wants refused). */
  static async open(wsUrl: string, suffix = '', path = '/chat'): Promise<ChatTestClient> {
    const socket = new WebSocket(`${wsUrl}${path}${suffix}`);
    const client = new ChatTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Opens, authenticates and (with `sessionId`) joins the session; resolves once the server confirmed each step. */
  static async joined(wsUrl: string, token: string, sessionId?: string): Promise<ChatTestClient> {
    const client = await ChatTestClient.open(wsUrl);
    client.send({ type: 'auth', token });
    await client.until('authenticated', () => client.has('authenticated'));
    if (sessionId !== undefined) {
      client.send({ type: 'join', sessionId });
      await client.until('joined', () => client.has('joined'));
    }
    return client;
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

  /** Resolves once `check()` holds; rejects after the answer timeout with the frames seen so far. */
  until(what: string, check: () => boolean, timeoutMs = ANSWER_TIMEOUT_MS): Promise<void> {
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
            `chat socket: no ${what} within ${timeoutMs} ms; frames ${JSON.stringify(this.frames).slice(0, 300)}, close ${this.closeCode}`,
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

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
