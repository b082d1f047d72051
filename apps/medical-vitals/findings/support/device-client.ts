import WebSocket from 'ws';

export interface ReadingMessage {
  seq: number;
  recordedAt: string;
  heartRate?: number | null;
  spo2?: number | null;
  systolic?: number | null;
  diastolic?: number | null;
  temperature?: number | null;
}

export type ServerReply = { type: string; [field: string]: unknown };

/**
 * A device on WebSocket /ingest, for tests and benches: authenticates, sends readings, and keeps every
 * reply so a test can wait for the ack of a sequence number.
 */
export class DeviceClient {
  readonly replies: ServerReply[] = [];
  private ackedUpTo = -1;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  closeCode: number | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString('utf8')) as ServerReply;
      this.replies.push(reply);
      if (reply.type === 'ack' && typeof reply['upToSeq'] === 'number') {
        this.ackedUpTo = Math.max(this.ackedUpTo, reply['upToSeq']);
      }
      this.wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  static async connect(url: string): Promise<DeviceClient> {
    const socket = new WebSocket(url);
    // Listen before 'open': a frame that arrives with the upgrade response is emitted in the same tick.
    const client = new DeviceClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Connects to `<wsUrl>/ingest` and authenticates; rejects with the server's reply if refused. */
  static async open(wsUrl: string, deviceId: string, token: string): Promise<DeviceClient> {
    const client = await DeviceClient.connect(`${wsUrl}/ingest`);
    client.send({ type: 'auth', deviceId, token });
    await client.until(() => client.replies.length > 0 || client.closeCode !== undefined, 10_000);
    const first = client.replies[0];
    if (first?.type !== 'auth_ok')
      throw new Error(`auth refused: ${JSON.stringify(first ?? client.closeCode)}`);
    return client;
  }

  get acked(): number {
    return this.ackedUpTo;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  sendReadings(items: ReadingMessage[], traceparent?: string): void {
    this.send({ type: 'readings', items, ...(traceparent === undefined ? {} : { traceparent }) });
  }

  /** Waits until `check()` holds (re-evaluated on every reply); rejects after `timeoutMs`. */
  until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`device client: condition not met in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  untilAcked(seq: number, timeoutMs?: number): Promise<void> {
    return this.until(() => this.ackedUpTo >= seq, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.check()) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** `count` plausible readings one second apart, ending now, with sequence numbers from `firstSeq`. */
export function readings(count: number, firstSeq = 0, start = Date.now() - count * 1000): ReadingMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    seq: firstSeq + index,
    recordedAt: new Date(start + index * 1000).toISOString(),
    heartRate: 60 + (index % 40),
    spo2: 95 + (index % 5),
    systolic: 110 + (index % 30),
    diastolic: 70 + (index % 15),
    temperature: 36.5,
  }));
}
