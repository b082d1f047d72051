import type { RoomMessage } from './redis-room-bus.js';
import { wallClockMs } from './room-delivery-timings.js';

/** A batch's bound: a room busier than this per window sends a frame at the bound instead of one huge frame. */
const MAX_MESSAGES_PER_FRAME = 100;
/** Rooms with a last frame time kept, past which stale ones are swept (a room quiet for a window needs none). */
const SWEEP_LAST_SENT_ABOVE = 1_024;

/**
 * Holds a room's unkeyed messages for `windowMs` from the first one's PUBLISH and hands them on as one frame:
 * `{"type":"batch","messages":[…]}` (a lone message stays itself). In a large room the cost is per frame and per
 * socket (a send, a write system call, a parse on the client), not per byte, so at 20 messages/s a 100 ms window
 * sends about a third of the frames, each message waiting at most the window. Keyed messages (latest-value
 * updates a slow socket may coalesce) are not batched: they flush the room's pending batch first, so order holds.
 * Neither are the messages of a room `batches(room)` calls small: there the window would cost every message its
 * length and save nothing worth having. And a message reaching a room that has sent no frame for a whole window
 * goes at once: a window only pays where frames come close together, and a room speaking once a second (a talk's
 * 10,000 viewers) would otherwise wait the window on every message for nothing. Frames stay at most two a window.
 * The window counts from the publisher's clock (`publishedAt`), not from this instance reading the message: one read
 * late, while the instance was busy fanning out the frame before, has waited that long already (ADR 0090's
 * amendment). Its lateness is clamped to [0, window], so a publisher's clock ahead of this one's costs nothing and
 * one behind shortens the window at most to nothing.
 */
export class RoomFrameBatcher {
  /** Per room, the payloads held and when each arrived (performance.now()): the frame's deliverer times their wait. */
  private readonly pending = new Map<
    string,
    { payloads: string[]; receivedAt: number[]; timer: NodeJS.Timeout }
  >();
  /** When each recently active room last sent a frame (performance.now()). */
  private readonly lastSentAt = new Map<string, number>();
  private sweepAbove = SWEEP_LAST_SENT_ABOVE;

  constructor(
    private readonly windowMs: number,
    /** `receivedAt`: when each message the frame carries reached `add` (performance.now()), in order. */
    private readonly deliver: (room: string, message: RoomMessage, receivedAt: readonly number[]) => void,
    private readonly batches: (room: string) => boolean = () => true,
  ) {}

  /** `publishedAt`: the publisher's wall clock at PUBLISH (ms), when known. */
  add(room: string, message: RoomMessage, publishedAt?: number): void {
    const now = performance.now();
    if (!this.batches(room)) {
      this.flush(room);
      this.deliver(room, message, [now]);
      return;
    }
    if (message.key !== undefined) {
      this.flush(room);
      this.send(room, message, [now]);
      return;
    }
    let batch = this.pending.get(room);
    if (batch === undefined && this.quietForAWindow(room, now)) {
      this.send(room, message, [now]);
      return;
    }
    if (batch === undefined) {
      const late =
        publishedAt === undefined ? 0 : Math.min(this.windowMs, Math.max(0, wallClockMs() - publishedAt));
      batch = {
        payloads: [],
        receivedAt: [],
        timer: setTimeout(() => this.flush(room), this.windowMs - late),
      };
      this.pending.set(room, batch);
    }
    batch.payloads.push(message.payload);
    batch.receivedAt.push(now);
    if (batch.payloads.length >= MAX_MESSAGES_PER_FRAME) this.flush(room);
  }

  /** Sends every pending batch now (before a drain closes the sockets). */
  flushAll(): void {
    for (const room of [...this.pending.keys()]) this.flush(room);
  }

  private flush(room: string): void {
    const batch = this.pending.get(room);
    if (batch === undefined) return;
    this.pending.delete(room);
    clearTimeout(batch.timer);
    const [first, ...rest] = batch.payloads;
    if (first === undefined) return;
    // Payloads are JSON texts already: the frame is built by joining them, never parsed and serialized again.
    const payload = rest.length === 0 ? first : `{"type":"batch","messages":[${batch.payloads.join(',')}]}`;
    this.send(room, { payload }, batch.receivedAt);
  }

  private send(room: string, message: RoomMessage, receivedAt: readonly number[]): void {
    this.lastSentAt.set(room, performance.now());
    this.deliver(room, message, receivedAt);
  }

  private quietForAWindow(room: string, now: number): boolean {
    if (this.lastSentAt.size > this.sweepAbove) {
      for (const [known, at] of this.lastSentAt) if (now - at >= this.windowMs) this.lastSentAt.delete(known);
      // Many rooms active at once: sweep again only once they have doubled, so a sweep costs O(1) a message.
      this.sweepAbove = Math.max(SWEEP_LAST_SENT_ABOVE, 2 * this.lastSentAt.size);
    }
    const last = this.lastSentAt.get(room);
    return last === undefined || now - last >= this.windowMs;
  }
}
