import WebSocket from 'ws';

export interface SimulatedReading {
  seq: number;
  recordedAt: string;
  heartRate: number;
  spo2: number;
  systolic: number;
  diastolic: number;
  temperature: number;
}

export interface SimulatedDeviceCounts {
  /** Distinct readings recorded (a resend is not counted again). */
  recorded: number;
  /** Readings sent again after a `throttled` reply. */
  resent: number;
  messages: number;
  throttled: number;
  errors: number;
}

/** What the device did, as it did it: a test's view of when it sent and when it was refused. */
export type SimulatedDeviceEvent =
  | { kind: 'sent'; at: number; seqs: number[] }
  | { kind: 'throttled'; at: number; retryAfterMs: number; seqs: number[] };

export interface SimulatedDeviceOptions {
  wsUrl: string;
  deviceId: string;
  token: string;
  /** The server's limit per message (min of MAX_READINGS_PER_MESSAGE and DEVICE_RATE_BURST). */
  maxReadingsPerMessage?: number;
  onEvent?: (event: SimulatedDeviceEvent) => void;
}

interface ServerReply {
  type: string;
  upToSeq?: number;
  seqs?: number[];
  retryAfterMs?: number;
  code?: string;
  seq?: number;
}

/** Backoff while refusals follow one another: 100 ms doubling per refusal in a row, at most 5 s. */
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * The reference device client (the simulator the benches run by the thousand). It keeps every reading until
 * it is acknowledged. Refused (`throttled`), it goes silent for at least `retryAfterMs`, longer (exponential
 * backoff with full jitter) while refusals follow one another, holding the readings it records meanwhile;
 * then it resends what it holds in batches, one batch in flight at a time. Resending at once, or sending new
 * readings into a refusal, turns a server that fell behind into a retry storm.
 */
export class SimulatedDevice {
  readonly counts: SimulatedDeviceCounts = { recorded: 0, resent: 0, messages: 0, throttled: 0, errors: 0 };
  closed = false;
  /** The socket closed without `terminate()`: the server closed it or the connection broke. */
  closedByServer = false;
  /** Every reading recorded and not acknowledged, and whether it was sent already (a resend counts). */
  private readonly readings = new Map<number, { reading: SimulatedReading; sent: boolean }>();
  /** Seqs held to be sent (refused, or recorded while refused or while a backlog drains), in seq order. */
  private held: number[] = [];
  /** Messages sent and not answered yet, by the highest seq they carry (what their ack names). */
  private readonly inFlight = new Map<number, { seqs: number[]; sentAt: number }>();
  private backlogBatch: number | undefined;
  private refusedUntil = 0;
  private refusedSince = 0;
  private refusalStreak = 0;
  private resumeTimer: NodeJS.Timeout | undefined;
  private readonly maxPerMessage: number;

  private constructor(
    private readonly socket: WebSocket,
    private readonly options: SimulatedDeviceOptions,
  ) {
    this.maxPerMessage = options.maxReadingsPerMessage ?? 30;
  }

  /** Connects to `<wsUrl>/ingest` and authenticates; rejects if the socket fails before `auth_ok`. */
  static open(options: SimulatedDeviceOptions): Promise<SimulatedDevice> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${options.wsUrl}/ingest`);
      const device = new SimulatedDevice(socket, options);
      socket.once('error', reject);
      socket.on('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString('utf8')) as ServerReply;
        if (reply.type === 'auth_ok') resolve(device);
        else device.onReply(reply);
      });
      socket.on('close', () => {
        if (!device.closed) device.closedByServer = true;
        device.close();
        reject(new Error('device socket closed before auth_ok'));
      });
      socket.once('open', () =>
        socket.send(JSON.stringify({ type: 'auth', deviceId: options.deviceId, token: options.token })),
      );
    });
  }

  /** Readings recorded and not acknowledged yet: what a real device still holds. */
  get unackedCount(): number {
    return this.readings.size;
  }

  /**
   * Records the device's next reading (vital signs that vary with `seq`), taken at `recordedAt`: sent now, or
   * held while refused.
   */
  record(recordedAt = new Date()): void {
    if (this.closed) return;
    const seq = this.counts.recorded;
    this.counts.recorded += 1;
    const reading = {
      seq,
      recordedAt: recordedAt.toISOString(),
      heartRate: 60 + (seq % 40),
      spo2: 97,
      systolic: 120,
      diastolic: 80,
      temperature: 36.8,
    };
    this.readings.set(seq, { reading, sent: false });
    if (this.held.length === 0 && !this.isRefused()) this.send([seq]);
    else {
      this.held.push(seq);
      this.sendBacklog();
    }
  }

  terminate(): void {
    this.close();
    this.socket.terminate();
  }

  private close(): void {
    this.closed = true;
    clearTimeout(this.resumeTimer);
  }

  private isRefused(): boolean {
    return performance.now() < this.refusedUntil;
  }

  private onReply(reply: ServerReply): void {
    if (reply.type === 'ack' && typeof reply.upToSeq === 'number') {
      const message = this.inFlight.get(reply.upToSeq);
      this.inFlight.delete(reply.upToSeq);
      for (const seq of message?.seqs ?? [reply.upToSeq]) this.readings.delete(seq);
      this.refusalStreak = 0;
      this.answered(reply.upToSeq);
    } else if (reply.type === 'throttled') {
      const seqs = reply.seqs ?? [];
      const retryAfterMs = reply.retryAfterMs ?? 1_000;
      this.counts.throttled += 1;
      const now = performance.now();
      this.options.onEvent?.({ kind: 'throttled', at: now, retryAfterMs, seqs });
      const upToSeq = Math.max(...seqs);
      const message = this.inFlight.get(upToSeq);
      this.inFlight.delete(upToSeq);
      this.hold(seqs);
      // A refusal of a message sent before the current refusal began is the same refusal, not another one:
      // its retry time is honoured too, but it does not lengthen the backoff.
      const another = message === undefined || message.sentAt >= this.refusedSince;
      this.refuse(now, retryAfterMs, another);
      this.answered(upToSeq);
    } else if (reply.type === 'error') {
      this.counts.errors += 1;
      // Not stored: the message's readings are sent again with the backlog.
      const message =
        reply.code === 'store_failed' && reply.seq !== undefined ? this.inFlight.get(reply.seq) : undefined;
      if (message === undefined || reply.seq === undefined) return;
      this.inFlight.delete(reply.seq);
      this.hold(message.seqs);
      this.answered(reply.seq);
    }
  }

  private refuse(now: number, retryAfterMs: number, another: boolean): void {
    let backoff = 0;
    if (another) {
      this.refusalStreak += 1;
      backoff =
        Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.refusalStreak, 10));
      this.refusedSince = now;
    }
    this.refusedUntil = Math.max(this.refusedUntil, now + Math.max(retryAfterMs, backoff));
    this.resumeLater();
  }

  private resumeLater(): void {
    clearTimeout(this.resumeTimer);
    // A timer may fire a millisecond before performance.now() reaches its deadline: sendBacklog re-arms it.
    this.resumeTimer = setTimeout(() => this.sendBacklog(), Math.ceil(this.refusedUntil - performance.now()));
  }

  private hold(seqs: number[]): void {
    this.held.push(...seqs.filter((seq) => this.readings.has(seq)));
    this.held.sort((a, b) => a - b);
  }

  private answered(upToSeq: number): void {
    if (this.backlogBatch === upToSeq) this.backlogBatch = undefined;
    this.sendBacklog();
  }

  /** Sends the next batch of held readings unless refused or a batch is still unanswered. */
  private sendBacklog(): void {
    if (this.closed || this.backlogBatch !== undefined || this.held.length === 0) return;
    if (this.isRefused()) {
      this.resumeLater();
      return;
    }
    const seqs = this.held.splice(0, this.maxPerMessage);
    this.backlogBatch = Math.max(...seqs);
    this.send(seqs);
  }

  private send(seqs: number[]): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    const items = seqs.map((seq) => {
      const held = this.readings.get(seq)!;
      if (held.sent) this.counts.resent += 1;
      held.sent = true;
      return held.reading;
    });
    const now = performance.now();
    this.inFlight.set(Math.max(...seqs), { seqs, sentAt: now });
    this.counts.messages += 1;
    this.options.onEvent?.({ kind: 'sent', at: now, seqs });
    this.socket.send(
      JSON.stringify(items.length === 1 ? { type: 'reading', ...items[0] } : { type: 'readings', items }),
    );
  }
}
