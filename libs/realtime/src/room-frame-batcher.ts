import type { RoomMessage } from './redis-room-bus.js';

/** A batch's bound: a room busier than this per window sends a frame at the bound instead of one huge frame. */
const MAX_MESSAGES_PER_FRAME = 100;

/**
 * Holds a room's unkeyed messages for `windowMs` from the first one and hands them on as one frame:
 * `{"type":"batch","messages":[…]}` (a lone message stays itself). In a large room the cost is per frame and per
 * socket (a send, a write system call, a parse on the client), not per byte, so at 20 messages/s a 100 ms window
 * sends about a third of the frames, each message waiting at most the window. Keyed messages (latest-value
 * updates a slow socket may coalesce) are not batched: they flush the room's pending batch first, so order holds.
 * Neither are the messages of a room `batches(room)` calls small: there the window would cost every message its
 * length and save nothing worth having.
 */
export class RoomFrameBatcher {
  private readonly pending = new Map<string, { payloads: string[]; timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    private readonly deliver: (room: string, message: RoomMessage) => void,
    private readonly batches: (room: string) => boolean = () => true,
  ) {}

  add(room: string, message: RoomMessage): void {
    if (message.key !== undefined || !this.batches(room)) {
      this.flush(room);
      this.deliver(room, message);
      return;
    }
    let batch = this.pending.get(room);
    if (batch === undefined) {
      batch = { payloads: [], timer: setTimeout(() => this.flush(room), this.windowMs) };
      this.pending.set(room, batch);
    }
    batch.payloads.push(message.payload);
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
    this.deliver(room, { payload });
  }
}
